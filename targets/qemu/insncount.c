/* QEMU TCG plugin: exact guest instruction counts between two marker
 * functions. Debian's QEMU 7.2 loads plugins but ships no qemu-plugin.h, so
 * the few API-v1 declarations used here are written out below; they must
 * match the QEMU that loads the plugin (7.2: plugin API version 1).
 *
 * Every translated instruction gets an inline 64-bit add on one counter, so
 * the count stays exact when a block is left early (exceptions, semihosting
 * calls). Executing the first instruction of the begin marker opens a
 * region; executing the first instruction of the end marker closes it.
 *
 * Arguments: begin=ADDR,end=ADDR[,out=FILE] (hex with 0x, or decimal).
 * Output (FILE, or QEMU's log otherwise), at exit:
 *   insncount.total N
 *   insncount.region K N      one line per closed region, in order
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- QEMU plugin API, version 1 (include/qemu/qemu-plugin.h of 7.2) ---- */
typedef uint64_t qemu_plugin_id_t;
typedef struct {
    const char *target_name;
    struct {
        int min, cur;
    } version;
    bool system_emulation;
    union {
        struct {
            int smp_vcpus, max_vcpus;
        } system;
    };
} qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn, enum qemu_plugin_op op,
                                                void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
void qemu_plugin_outs(const char *string);
/* ---- end of the API declarations ---- */

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

#define MAX_REGIONS 1024

static uint64_t count;        /* one vCPU on every machine used here */
static uint64_t begin_addr, end_addr;
static uint64_t region_start;
static bool in_region;
static uint64_t regions[MAX_REGIONS];
static int n_regions;
static const char *out_path;

static void on_begin(unsigned int vcpu, void *udata)
{
    (void)vcpu;
    (void)udata;
    region_start = count;
    in_region = true;
}

static void on_end(unsigned int vcpu, void *udata)
{
    (void)vcpu;
    (void)udata;
    if (in_region && n_regions < MAX_REGIONS)
        regions[n_regions++] = count - region_start;
    in_region = false;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    size_t n = qemu_plugin_tb_n_insns(tb);
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint64_t pc = qemu_plugin_insn_vaddr(insn);
        /* The marker callbacks are registered before the increment, so a
         * region holds the begin marker's first instruction and not the
         * end marker's. */
        if (pc == begin_addr)
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_begin, QEMU_PLUGIN_CB_NO_REGS, NULL);
        if (pc == end_addr)
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_end, QEMU_PLUGIN_CB_NO_REGS, NULL);
        qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &count, 1);
    }
}

static void emit(FILE *f, const char *line)
{
    if (f)
        fputs(line, f);
    else
        qemu_plugin_outs(line);
}

static void report(qemu_plugin_id_t id, void *udata)
{
    (void)id;
    (void)udata;
    char line[96];
    FILE *f = out_path ? fopen(out_path, "w") : NULL;
    snprintf(line, sizeof line, "insncount.total %" PRIu64 "\n", count);
    emit(f, line);
    for (int i = 0; i < n_regions; i++) {
        snprintf(line, sizeof line, "insncount.region %d %" PRIu64 "\n", i, regions[i]);
        emit(f, line);
    }
    if (f)
        fclose(f);
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                                               int argc, char **argv)
{
    (void)info;
    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "begin=", 6) == 0)
            begin_addr = strtoull(argv[i] + 6, NULL, 0);
        else if (strncmp(argv[i], "end=", 4) == 0)
            end_addr = strtoull(argv[i] + 4, NULL, 0);
        else if (strncmp(argv[i], "out=", 4) == 0)
            out_path = argv[i] + 4;
        else {
            fprintf(stderr, "insncount: unknown argument '%s'\n", argv[i]);
            return 1;
        }
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, report, NULL);
    return 0;
}
