/* libFuzzer entry for search-space text (import/space_reader.h): any text
 * is refused with a message naming the line (or the whole text), or read
 * into a space whose lists ascend within their bounds; a space that
 * space_check accepts gives valid specs for every configuration (checked
 * on the narrowest and smallest one, a few networks). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "space_reader.h"
#include "spec_net.h"

#define NETWORKS 3

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ascending(const int32_t *v, int32_t n, int32_t lo, int32_t hi)
{
    for (int32_t i = 0; i < n; i++)
        if (v[i] < lo || v[i] > hi || (i > 0 && v[i] <= v[i - 1]))
            abort();
}

static void check_networks(const msf_space *s)
{
    for (uint64_t i = 0; i < NETWORKS; i++) {
        size_t len;
        char *text = space_network_spec(s, s->widths[0], s->resolutions[0], 1, i, NULL, &len), msg[512];
        spec_net net;
        if (!text)
            abort();
        if (spec_read(text, len, &net, msg, sizeof msg) != 0) {
            fprintf(stderr, "a network of a checked space is refused: %s\n", msg);
            abort();
        }
        free(net.layers);
        free(text);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static msf_space s;
    char err[512] = "";
    if (space_read(NULL, (const char *)data, size, &s, err, sizeof err) != 0) {
        if (strncmp(err, "line ", 5) != 0 && strncmp(err, "space: ", 7) != 0)
            abort();
        return 0;
    }
    ascending(s.widths, s.n_widths, 1, 400);
    ascending(s.resolutions, s.n_resolutions, 8, 512);
    if (s.n_layers < 1 || s.n_layers > SPACE_MAX_LAYERS)
        abort();
    if (space_check(&s, err, sizeof err) == 0)
        check_networks(&s);
    return 0;
}
