#include <stdio.h>

#include "board_fit.h"
#include "measured_run.h"

uint32_t fit_stack(const board_target *t, const msf_plan *plan)
{
    for (int32_t i = 0; i < plan->n_blocks; i++)
        if (plan->blocks[i].scheme != MSF_SCHEME_WHOLE)
            return t->stack_fused;
    return t->stack_whole;
}

/* A streamed output is written to a buffer outside the arena. */
static uint64_t static_other(const msf_graph *g, int streamed)
{
    const msf_model *m = &g->model;
    return FIT_STATIC_WORDS + ((streamed & MSF_STREAM_OUTPUT) ? io_bytes(m, m->outputs, m->n_outputs) : 0);
}

board_need fit_need(const msf_graph *g, const msf_plan *plan, const board_budget *b)
{
    board_need n;
    n.arena = plan->arena_bytes;
    n.stack = fit_stack(b->target, plan);
    n.static_other = static_other(g, plan->streamed);
    n.ram = n.arena + n.stack + n.static_other;
    n.flash = flash_estimate_of(g, plan, b->target);
    return n;
}

uint64_t fit_arena_budget(const msf_graph *g, int streamed, const board_budget *b)
{
    uint64_t other = b->target->stack_fused + static_other(g, streamed);
    return b->ram > other ? b->ram - other : 0;
}

int fit_line(const board_need *need, const board_budget *b, char *text, size_t size)
{
    int ram_ok = need->ram <= b->ram, flash_ok = !b->flash || need->flash.total <= b->flash;
    if (ram_ok && flash_ok) {
        if (b->flash)
            snprintf(text, size, "fits: %llu B of RAM and %llu B of flash free",
                     (unsigned long long)(b->ram - need->ram), (unsigned long long)(b->flash - need->flash.total));
        else
            snprintf(text, size, "fits: %llu B of RAM free (flash not checked: no --flash)",
                     (unsigned long long)(b->ram - need->ram));
        return 1;
    }
    char ram[64] = "", flash[64] = "";
    if (!ram_ok)
        snprintf(ram, sizeof ram, "%llu B of RAM", (unsigned long long)(need->ram - b->ram));
    if (!flash_ok)
        snprintf(flash, sizeof flash, "%llu B of flash", (unsigned long long)(need->flash.total - b->flash));
    snprintf(text, size, "does not fit: over by %s%s%s", ram, !ram_ok && !flash_ok ? " and " : "", flash);
    return 0;
}
