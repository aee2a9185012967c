/* A minimal application of a generated model on the m4 board (QEMU
 * netduinoplus2): fill the input from the application's own data through
 * the header's quantize helper, run one inference, print the top class.
 * Everything model-specific comes from model.h (msf gen). */
#include <stdint.h>

#include "hal.h"
#include "model.h"

/* Where the scores land: model_invoke copies the output here. */
static int8_t scores[MODEL_OUTPUT0_ELEMENTS];

/* The application's data, one real value per input element. A camera or a
 * sensor would go here; this is a fixed test pattern in [0, 1]. */
static float sample(uint32_t i)
{
    return (float)(i % 256u) / 255.0f;
}

int main(void)
{
    /* The input tensor in its own type: int8, quantized with its scale and
     * zero point (model_input0_quantize does it as TFLite does). */
    static int8_t input[MODEL_INPUT0_ELEMENTS];
    for (uint32_t i = 0; i < MODEL_INPUT0_ELEMENTS; i++)
        input[i] = model_input0_quantize(sample(i));

    int status = model_invoke(input, scores);
    if (status != 0) {
        hal_puts("app: model_invoke failed\n");
        return 1;
    }
    int32_t top = 0;
    for (int32_t i = 1; i < MODEL_OUTPUT0_ELEMENTS; i++)
        if (scores[i] > scores[top])
            top = i;
    /* The score as a probability in thousandths. */
    float p = model_output0_dequantize(scores[top]);
    hal_puts("app: top class ");
    hal_put_dec((uint64_t)top);
    hal_puts(" (");
    hal_puts(model_label(top));
    hal_puts("), score ");
    hal_put_dec((uint64_t)(p * 1000.0f + 0.5f));
    hal_puts("/1000\n");
    return 0;
}
