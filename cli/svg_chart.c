#include <math.h>

#include "svg_chart.h"

void svg_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '&')
            fputs("&amp;", f);
        else if (ch == '<')
            fputs("&lt;", f);
        else if (ch == '>')
            fputs("&gt;", f);
        else if (ch == '"')
            fputs("&quot;", f);
        else if (ch == '\'')
            fputs("&#39;", f);
        else
            fputc(ch >= 0x20 && ch < 0x7f ? ch : '?', f);
    }
}

/* A round tick step giving about n ticks over range: 1, 2 or 5 x 10^k. */
static double tick_step(double range, int n)
{
    double raw = range / n, p = pow(10.0, floor(log10(raw)));
    return raw / p < 1.5 ? p : raw / p < 3.5 ? 2 * p : raw / p < 7.5 ? 5 * p : 10 * p;
}

static double px_x(const svg_chart *c, double x)
{
    return c->left + (x - c->x0) / (c->x1 - c->x0) * c->w;
}

static double px_y(const svg_chart *c, double y)
{
    return c->top + c->h - (y - c->y0) / (c->y1 - c->y0) * c->h;
}

static void axis_ticks(const svg_chart *c, int vertical)
{
    double lo = vertical ? c->y0 : c->x0, hi = vertical ? c->y1 : c->x1, step = tick_step(hi - lo, 6);
    for (double v = ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
        double p = vertical ? px_y(c, v) : px_x(c, v);
        if (vertical)
            fprintf(c->f,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"12\">%g</text>\n",
                    c->left, p, c->left + c->w, p, c->left - 6, p + 4, fabs(v) < step * 1e-9 ? 0.0 : v);
        else
            fprintf(c->f,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\">%g</text>\n",
                    p, c->top, p, c->top + c->h, p, c->top + c->h + 16, fabs(v) < step * 1e-9 ? 0.0 : v);
    }
}

/* [lo, hi] widened to whole ticks, never empty. */
static void round_range(double *lo, double *hi)
{
    if (!(*hi > *lo))
        *hi = *lo + 1.0;
    double step = tick_step(*hi - *lo, 6);
    *lo = floor(*lo / step) * step;
    *hi = ceil(*hi / step) * step;
}

void svg_open(svg_chart *c, FILE *f, int width, int height, const char *title, double x0, double x1, double y0,
              double y1, const char *x_label, const char *y_label)
{
    round_range(&x0, &x1);
    round_range(&y0, &y1);
    *c = (svg_chart){f, x0, x1, y0, y1, 70, 40, width - 100, height - 90};
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            "font-family=\"sans-serif\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
            "<text x=\"%d\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">",
            width, height, width, height, width / 2);
    svg_text(f, title);
    fputs("</text>\n", f);
    axis_ticks(c, 0);
    axis_ticks(c, 1);
    fprintf(f,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#333\"/>\n"
            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"13\">",
            c->left, c->top, c->w, c->h, c->left + c->w / 2, height - 12);
    svg_text(f, x_label);
    fprintf(f, "</text>\n<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"13\" "
               "transform=\"rotate(-90 16 %.1f)\">",
            c->top + c->h / 2, c->top + c->h / 2);
    svg_text(f, y_label);
    fputs("</text>\n", f);
}

void svg_close(svg_chart *c)
{
    fputs("</svg>\n", c->f);
}

void svg_line(const svg_chart *c, const double *x, const double *y, int n, const char *color, double width,
              const char *dash)
{
    fprintf(c->f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s%s%s points=\"", color, width,
            dash ? " stroke-dasharray=\"" : "", dash ? dash : "", dash ? "\"" : "");
    for (int i = 0; i < n; i++)
        fprintf(c->f, "%s%.1f,%.1f", i ? " " : "", px_x(c, x[i]), px_y(c, y[i]));
    fputs("\"/>\n", c->f);
}

static void put_marker(FILE *f, double x, double y, char shape, const char *color, double s)
{
    if (shape == 's')
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", x - s, y - s, 2 * s,
                2 * s, color);
    else if (shape == '^')
        fprintf(f, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\"/>", x, y - s * 1.2, x - s,
                y + s * 0.8, x + s, y + s * 0.8, color);
    else if (shape == 'd')
        fprintf(f, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\"/>", x, y - s * 1.3,
                x + s * 1.3, y, x, y + s * 1.3, x - s * 1.3, y, color);
    else
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"/>", x,
                y, s, color);
}

void svg_marker(const svg_chart *c, double x, double y, char shape, const char *color, double size,
                const char *label)
{
    double px = px_x(c, x), py = px_y(c, y);
    put_marker(c->f, px, py, shape, color, size);
    if (label) {
        fprintf(c->f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"%s\">", px + size + 4, py - size - 2,
                color);
        svg_text(c->f, label);
        fputs("</text>", c->f);
    }
    fputc('\n', c->f);
}

void svg_vline(const svg_chart *c, double x, const char *color, const char *label)
{
    double px = px_x(c, x);
    fprintf(c->f,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" "
            "stroke-dasharray=\"6 4\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"%s\">",
            px, c->top, px, c->top + c->h, color, px + 4, c->top + c->h - 8, color);
    svg_text(c->f, label);
    fputs("</text>\n", c->f);
}

void svg_legend(const svg_chart *c, int k, char shape, const char *color, const char *dash, const char *text)
{
    double x = c->left + c->w - 260, y = c->top + 16 + 18 * k;
    if (shape)
        put_marker(c->f, x + 10, y - 4, shape, color, 5);
    else
        fprintf(c->f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s%s%s/>",
                x, y - 4, x + 20, y - 4, color, dash ? " stroke-dasharray=\"" : "", dash ? dash : "", dash ? "\"" : "");
    fprintf(c->f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">", x + 28, y);
    svg_text(c->f, text);
    fputs("</text>\n", c->f);
}
