/* The network as msf plans and runs it: the runtime model (msf_model) built
 * from a TFLite file after every semantic check, plus per-layer facts for
 * reports. Tensor i of the model is tensor i of the file; operator i is
 * operator i of the file. */
#ifndef MSF_GRAPH_H
#define MSF_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "../runtime/msf_model.h"
#include "tflite_reader.h"

typedef struct {
    msf_model model;       /* points at the arrays below */
    msf_tensor *tensors;
    msf_op *ops;
    uint64_t *op_macs;     /* MACs of each op (the counting build's convention) */
    uint32_t *op_weight_bytes; /* constant bytes each op reads (weights, bias) */
    /* Per tensor, so that the analyses never scan every operator for one
     * tensor: the op writing it (-1 for a graph input, -2 for none), and
     * how many times it is read (each input slot of each op, and each
     * listing among the graph outputs), and the last op reading it (n_ops
     * for a graph output, -1 for none). */
    int32_t *producer;
    int32_t *readers;
    int32_t *last_reader;
    tfl_model tfl;         /* names and options, for reports */
    uint8_t *file;         /* the file image; constant data points into it */
    size_t file_size;
    void **allocs;         /* everything else the graph owns */
    size_t n_allocs, cap_allocs;
} msf_graph;

/* The most operators msf takes (README, Limits): every analysis is linear
 * or n log n in them, and this many take a few seconds and half a GiB to
 * plan; real networks have hundreds. */
#define GRAPH_MAX_OPS 200000

/* Builds the graph from a .tflite image; takes ownership of buf (malloc'ed)
 * in every case. Returns 0, or -1 with a one-line message naming the problem
 * (operator index and type, tensor index). */
int graph_from_tflite(uint8_t *buf, size_t size, msf_graph *g, char *err, size_t err_size);

/* Reads a file (at most 256 MiB) and builds its graph. */
int graph_load_file(const char *path, msf_graph *g, char *err, size_t err_size);

/* What every MODEL argument goes through: a path ending in ".spec" is an
 * architecture spec (spec_reader.h), anything else a .tflite file. */
int graph_load(const char *path, msf_graph *g, char *err, size_t err_size);

/* Frees everything the graph owns: the file image, the reader's tables and
 * every graph_alloc. */
void graph_free(msf_graph *g);

/* For the files that build a graph (graph_build.c, op_build.c): zeroed
 * memory the graph owns until graph_free (NULL when out of memory), and a
 * failure message formatted into err, returning -1. */
void *graph_alloc(msf_graph *g, size_t bytes);
int graph_fail(char *err, size_t err_size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Whether tensor t is an activation that lives in the arena (not a constant,
 * and produced by an op or fed as a graph input). */
int graph_is_activation(const msf_graph *g, int32_t t);

#endif
