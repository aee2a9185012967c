/* What the graph owns and how its builders report: the allocations freed
 * with it, and the failure message. graph_build.c and op_build.c both use
 * them, so they live below both. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

int graph_fail(char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
    return -1;
}

void *graph_alloc(msf_graph *g, size_t bytes)
{
    if (g->n_allocs == g->cap_allocs) {
        /* Doubling: a model allocates a few arrays per operator. */
        size_t cap = g->cap_allocs ? 2 * g->cap_allocs : 64;
        void **list = realloc(g->allocs, cap * sizeof *list);
        if (!list)
            return NULL;
        g->allocs = list;
        g->cap_allocs = cap;
    }
    void *p = calloc(1, bytes ? bytes : 1);
    if (p)
        g->allocs[g->n_allocs++] = p;
    return p;
}

void graph_free(msf_graph *g)
{
    for (size_t i = 0; i < g->n_allocs; i++)
        free(g->allocs[i]);
    free(g->allocs);
    if (g->tfl.tensors || g->tfl.ops)
        tflite_free(&g->tfl);
    free(g->file);
    memset(g, 0, sizeof *g);
}
