/* A small SVG chart writer for msf's figures: one plot area with linear
 * axes, lines, markers and labels. Text is XML-escaped (model names come
 * from files). No fonts, scripts or external references: the figure can be
 * inlined in a page or saved as FILE.svg. */
#ifndef MSF_SVG_CHART_H
#define MSF_SVG_CHART_H

#include <stdio.h>

typedef struct {
    FILE *f;
    double x0, x1, y0, y1; /* the data ranges shown */
    double left, top, w, h; /* the plot area, in px */
} svg_chart;

/* Opens the figure (width x height px) with a title, and the plot area for
 * data in [x0, x1] x [y0, y1] (widened to round ticks), with a grid and
 * labelled axes. */
void svg_open(svg_chart *c, FILE *f, int width, int height, const char *title, double x0, double x1, double y0,
              double y1, const char *x_label, const char *y_label);
void svg_close(svg_chart *c);

/* A polyline through n points; dash NULL for solid. */
void svg_line(const svg_chart *c, const double *x, const double *y, int n, const char *color, double width,
              const char *dash);

/* A marker ('o' circle, 's' square, '^' triangle, 'd' diamond) with a label
 * to its right (NULL: none). */
void svg_marker(const svg_chart *c, double x, double y, char shape, const char *color, double size,
                const char *label);

/* A vertical line across the plot at x, labelled at its top. */
void svg_vline(const svg_chart *c, double x, const char *color, const char *label);

/* A legend entry (a short line or a marker and the text), the k-th from the
 * top right of the plot area. shape 0 draws a line. */
void svg_legend(const svg_chart *c, int k, char shape, const char *color, const char *dash, const char *text);

/* s with &, <, >, " and ' escaped, and bytes outside printable ASCII as
 * '?' (the figure stays valid XML whatever the name holds). */
void svg_text(FILE *f, const char *s);

#endif
