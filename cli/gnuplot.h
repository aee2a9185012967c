/* Drawing with gnuplot (msf plan --pareto --plot, msf space --plot). */
#ifndef MSF_GNUPLOT_H
#define MSF_GNUPLOT_H

#include <stddef.h>

/* Runs gnuplot (fork and exec, no shell) with script on its stdin and
 * reads the image it writes on its stdout into *image (malloc'ed). The
 * script must hold nothing the user typed (a file name pasted into a
 * script is a way to run commands): data inline, output on stdout. Returns
 * an exit code, message printed. */
int gnuplot_run(const char *script, char **image, size_t *size);

#endif
