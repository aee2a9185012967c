/* A host application of a model from msf_add_model: reads the input tensor's
 * bytes from a file, runs one inference, prints the top class and its label.
 * usage: app INPUT.bin */
#include <stdio.h>

#include "demo.h"

int main(int argc, char **argv)
{
    static int8_t input[DEMO_INPUT_BYTES], scores[DEMO_OUTPUT0_ELEMENTS];
    FILE *f = argc == 2 ? fopen(argv[1], "rb") : NULL;
    if (!f || fread(input, 1, sizeof input, f) != sizeof input) {
        fprintf(stderr, "usage: app INPUT.bin (%u bytes)\n", (unsigned)DEMO_INPUT_BYTES);
        return 2;
    }
    fclose(f);
    if (demo_invoke(input, scores) != 0) {
        fprintf(stderr, "app: demo_invoke failed\n");
        return 1;
    }
    int top = 0;
    for (int i = 1; i < DEMO_OUTPUT0_ELEMENTS; i++)
        if (scores[i] > scores[top])
            top = i;
    printf("app: top class %d (%s), score %.3f\n", top, demo_label(top), (double)demo_output0_dequantize(scores[top]));
    return 0;
}
