/*
 * umbra ISA test framework: shared definitions for assembly (.S) and C tests.
 *
 * Conventions
 *  - A test starts in M-mode at test_main (called by fw.S after setup) and
 *    returns (or jumps to fw_done) when finished.
 *  - gp always points at fw_data (the framework's scratch area); tests must
 *    never change gp.
 *  - Every check is numbered by its source line (__LINE__).  A failed check
 *    prints "FAIL <test> <line> exp=0x... got=0x..." and the run continues;
 *    the exit code (through the SiFive test device) is the line of the first
 *    failed check.  An unexpected trap prints "FAIL <test> <line> unexpected
 *    trap ..." where <line> is the last check started, then exits.
 *  - Check macros clobber no register (they use gp-relative scratch memory).
 *  - QEMU_QUIRKS is defined when building for QEMU (tests/isa/run.sh qemu):
 *    it relaxes only checks where QEMU 7.2 is known to deviate from the spec;
 *    each use names the deviation.  Builds for umbra are spec-strict.
 *  - ENTER_S/ENTER_U (only from M-mode) clobber t6; ENTER_M (from any mode)
 *    clobbers a6 and a7 and returns with mstatus.MIE = 0.  If ecalls from U
 *    are delegated, the S handler passes ENTER_M on to M-mode (leaving the
 *    S trap state: sepc, scause, sstatus.SPP/SPIE/SIE, as a trap sets them).
 */
#ifndef UMBRA_ISA_FW_H
#define UMBRA_ISA_FW_H

/* ---- machine ------------------------------------------------------------ */
#define UART_BASE      0x10000000
#define TESTDEV_BASE   0x100000
#define CLINT_BASE     0x2000000
#define CLINT_MSIP     (CLINT_BASE + 0x0)
#define CLINT_MTIMECMP (CLINT_BASE + 0x4000)
#define CLINT_MTIME    (CLINT_BASE + 0xbff8)
#define RAM_BASE       0x80000000

/* ---- CSR fields --------------------------------------------------------- */
#define MSTATUS_SIE    (1 << 1)
#define MSTATUS_MIE    (1 << 3)
#define MSTATUS_SPIE   (1 << 5)
#define MSTATUS_UBE    (1 << 6)
#define MSTATUS_MPIE   (1 << 7)
#define MSTATUS_SPP    (1 << 8)
#define MSTATUS_MPP    (3 << 11)
#define MSTATUS_MPP_S  (1 << 11)
#define MSTATUS_MPP_M  (3 << 11)
#define MSTATUS_FS     (3 << 13)
#define MSTATUS_FS_INITIAL (1 << 13)
#define MSTATUS_FS_CLEAN   (2 << 13)
#define MSTATUS_FS_DIRTY   (3 << 13)
#define MSTATUS_XS     (3 << 15)
#define MSTATUS_MPRV   (1 << 17)
#define MSTATUS_SUM    (1 << 18)
#define MSTATUS_MXR    (1 << 19)
#define MSTATUS_TVM    (1 << 20)
#define MSTATUS_TW     (1 << 21)
#define MSTATUS_TSR    (1 << 22)

#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#define MIP_SSIP (1 << IRQ_SSI)
#define MIP_MSIP (1 << IRQ_MSI)
#define MIP_STIP (1 << IRQ_STI)
#define MIP_MTIP (1 << IRQ_MTI)
#define MIP_SEIP (1 << IRQ_SEI)
#define MIP_MEIP (1 << IRQ_MEI)

#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS     1
#define CAUSE_ILLEGAL          2
#define CAUSE_BREAKPOINT       3
#define CAUSE_MISALIGNED_LOAD  4
#define CAUSE_LOAD_ACCESS      5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS     7
#define CAUSE_ECALL_U          8
#define CAUSE_ECALL_S          9
#define CAUSE_ECALL_M          11
#define CAUSE_FETCH_PAGE       12
#define CAUSE_LOAD_PAGE        13
#define CAUSE_STORE_PAGE       15
#ifdef __ASSEMBLER__
#define CAUSE_INTR             (1 << 63)
#define MSTATUS_SD             (1 << 63)
#else
#define CAUSE_INTR             (1ULL << 63)
#define MSTATUS_SD             (1ULL << 63)
#endif

#define FW_MAGIC 0x554d425241 /* a7 value of the "return to M-mode" ecall */

/* ---- fw_data layout (offsets from gp) ----------------------------------- */
#define FW_T5      0    /* check scratch: saved t5 */
#define FW_T6      8    /* check scratch: saved t6 */
#define FW_EXP     16   /* expected value of the failing check */
#define FW_ACT     24   /* actual value of the failing check */
#define FW_CUR     32   /* line of the check in progress (last started) */
#define FW_FIRST   40   /* line of the first failed check (0 = none) */
#define FW_NFAIL   48   /* failed checks */
#define FW_NCHK    56   /* checks executed */
#define FW_RESUME  64   /* exception resume address (0 = exception unexpected) */
#define FW_CAUSE   72   /* last M-mode trap: mcause (-1 = none since armed) */
#define FW_EPC     80   /*   mepc */
#define FW_TVAL    88   /*   mtval */
#define FW_STATUS  96   /*   mstatus as seen by the handler */
#define FW_NTRAP   104  /*   number of M-mode traps (excluding ENTER_M) */
#define FW_SCAUSE  112  /* last S-mode trap: scause */
#define FW_SEPC    120  /*   sepc */
#define FW_STVAL   128  /*   stval */
#define FW_SSTATUS 136  /*   sstatus as seen by the handler */
#define FW_NSTRAP  144  /*   number of S-mode traps */
#define FW_HOOK    152  /* M handler hook (called with a0 = mcause), 0 = none */
#define FW_SHOOK   160  /* S handler hook (called with a0 = scause), 0 = none */
#define FW_LOGN    168  /* number of entries in FW_LOG */
#define FW_LOG     176  /* 16 entries: (cause & 0xff) | 0x100 if interrupt | 0x200 if S handler */
#define FW_UALIAS  304  /* offset added to probe code addresses for U-mode (paging tests) */
#define FW_FILE    440  /* source file name of the failing C check (0 = none) */
#define FW_TMP     312  /* 8 scratch dwords for tests */
#define FW_NUMBUF  448  /* 32 bytes: decimal conversion buffer */
#define FW_REGS    512  /* register save area of the failure reporter */
#define FW_HREGS   768  /* register save area of the M trap handler */
#define FW_SREGS   1024 /* register save area of the S trap handler */
#define FW_SIZE    1280

#define LOG_S   0x200
#define LOG_IRQ 0x100

/* fw_probe operations and modes */
#define PR_LD     0
#define PR_SD     1
#define PR_EXEC   2
#define PR_LBU    3
#define PR_SB     4
#define PR_AMOADD 5
#define PR_LW     6
#define PM_U      0
#define PM_S      1
#define PM_M      3
#define PM_MPRV_U 4   /* M-mode access with MPRV = 1, MPP = U */
#define PM_MPRV_S 5   /* M-mode access with MPRV = 1, MPP = S */

#ifdef __ASSEMBLER__

/* ---- check macros (cpp wrappers give the line number) ------------------- */
/* register == 64-bit immediate */
#define CHECK(reg, exp)          fw_check reg, exp, __LINE__
/* register == register */
#define CHECK_R(reg, expreg)     fw_check_r reg, expreg, __LINE__
/* (register & mask) == exp */
#define CHECK_MASK(reg, mask, exp) fw_check_mask reg, mask, exp, __LINE__
/* raw 64 bits of an FP register == immediate (checks NaN boxing of singles) */
#define CHECK_F(freg, exp)       fw_check_f freg, exp, __LINE__
/* fw_data field == immediate */
#define CHECK_FW(off, exp)       fw_check_fw off, exp, __LINE__
/* fw_data field == register */
#define CHECK_FW_R(off, reg)     fw_check_fw_r off, reg, __LINE__
/* CSR == immediate */
#define CHECK_CSR(csr, exp)      fw_check_csr csr, exp, __LINE__
/* fflags == imm, then clears fflags */
#define CHECK_FLAGS(exp)         fw_check_flags exp, __LINE__
/* an exception with this cause was taken since ARM_TRAP; disarms */
#define CHECK_TRAP(cause)        fw_check_trap cause, __LINE__
/* no exception since ARM_TRAP; disarms */
#define CHECK_NOTRAP()           fw_check_trap -1, __LINE__
/* disarm the exception catcher (after reading FW_CAUSE by hand) */
#define DISARM_TRAP()            sd zero, FW_RESUME(gp)
/* unconditional failure with a value */
#define FAIL_NOW(val)            fw_fail_now val, __LINE__

/* Arm the exception catcher: the next exception (M or S handler) records its
 * cause/epc/tval and resumes at `label` in the mode it was taken from. */
#define ARM_TRAP(label)          fw_arm_trap label

/* privilege changes (continue at the next instruction in the new mode) */
#define ENTER_S                  fw_enter_mode 1
#define ENTER_U                  fw_enter_mode 0
#define ENTER_M                  fw_enter_m

#define TEST_BEGIN(name) \
    .pushsection .rodata; .global fw_test_name; fw_test_name: .asciz #name; .popsection; \
    .text; .global test_main; .balign 4; test_main:
#define TEST_END  j fw_done

.macro fw_chk_pre line
    sd t5, FW_T5(gp)
    sd t6, FW_T6(gp)
    li t6, \line
    sd t6, FW_CUR(gp)
    ld t6, FW_NCHK(gp)
    addi t6, t6, 1
    sd t6, FW_NCHK(gp)
.endm

/* t5 = actual, t6 = expected */
.macro fw_chk_post
    beq t5, t6, .Lfwok\@
    sd t5, FW_ACT(gp)
    sd t6, FW_EXP(gp)
    jal t6, fw_fail_t
.Lfwok\@:
    ld t5, FW_T5(gp)
    ld t6, FW_T6(gp)
.endm

.macro fw_check reg, exp, line
    sd \reg, FW_ACT(gp)
    fw_chk_pre \line
    ld t5, FW_ACT(gp)
    li t6, \exp
    fw_chk_post
.endm

.macro fw_check_r reg, expreg, line
    sd \reg, FW_ACT(gp)
    sd \expreg, FW_EXP(gp)
    fw_chk_pre \line
    ld t5, FW_ACT(gp)
    ld t6, FW_EXP(gp)
    fw_chk_post
.endm

.macro fw_check_mask reg, mask, exp, line
    sd \reg, FW_ACT(gp)
    fw_chk_pre \line
    li t6, \mask
    ld t5, FW_ACT(gp)
    and t5, t5, t6
    li t6, \exp
    fw_chk_post
.endm

.macro fw_check_f freg, exp, line
    fsd \freg, FW_ACT(gp)
    fw_chk_pre \line
    ld t5, FW_ACT(gp)
    li t6, \exp
    fw_chk_post
.endm

.macro fw_check_fw off, exp, line
    fw_chk_pre \line
    ld t5, \off(gp)
    li t6, \exp
    fw_chk_post
.endm

.macro fw_check_fw_r off, reg, line
    sd \reg, FW_EXP(gp)
    fw_chk_pre \line
    ld t5, \off(gp)
    ld t6, FW_EXP(gp)
    fw_chk_post
.endm

.macro fw_check_csr csr, exp, line
    fw_chk_pre \line
    csrr t5, \csr
    li t6, \exp
    fw_chk_post
.endm

.macro fw_check_flags exp, line
    fw_chk_pre \line
    csrrci t5, fflags, 0x1f
    li t6, \exp
    fw_chk_post
.endm

.macro fw_check_trap cause, line
    fw_chk_pre \line
    sd zero, FW_RESUME(gp)
    ld t5, FW_CAUSE(gp)
    li t6, \cause
    fw_chk_post
.endm

.macro fw_fail_now val, line
    fw_chk_pre \line
    li t5, \val
    li t6, ~(\val)
    fw_chk_post
.endm

.macro fw_arm_trap label
    sd t6, FW_T6(gp)
    li t6, -1
    sd t6, FW_CAUSE(gp)
    sd t6, FW_TVAL(gp)
    sd t6, FW_EPC(gp)
    la t6, \label
    sd t6, FW_RESUME(gp)
    ld t6, FW_T6(gp)
.endm

/* mode: 0 = U, 1 = S.  Keeps mstatus.MIE/MPIE semantics of mret: MIE := MPIE. */
.macro fw_enter_mode mode
    li t6, MSTATUS_MPP
    csrc mstatus, t6
    li t6, (\mode << 11)
    csrs mstatus, t6
    la t6, .Lfwent\@
    csrw mepc, t6
    mret
.Lfwent\@:
.endm

/* from any mode back to M-mode, continuing at the next instruction (by its
 * link-time address, so it also works from aliased U-mode code) */
.macro fw_enter_m
    ld a6, .Lfwlit\@
    li a7, FW_MAGIC
    ecall
    j .Lfwm\@
    .balign 8
.Lfwlit\@:
    .dword .Lfwm\@
.Lfwm\@:
.endm

#else /* C */

#include <stdint.h>

extern volatile uint64_t fw_data[FW_SIZE / 8];
#define FW(off) (fw_data[(off) / 8])

void fw_check_c(uint64_t line, uint64_t exp, uint64_t act, const char *file);
/* a C check; the failure report names the source file (checks may sit in a
 * header shared by several tests) */
#define CHECK_EQ(act, exp) fw_check_c(__LINE__, (uint64_t)(exp), (uint64_t)(act), __FILE_NAME__)
void fw_puts(const char *s);
void fw_puthex(uint64_t v);
void fw_done(void) __attribute__((noreturn));

/* Probe one access from a privilege mode.  Returns the loaded value (load
 * ops), the value left in a0 by the executed target (exec), or 0.  Afterwards
 * FW(FW_CAUSE) is the exception cause or -1, FW(FW_TVAL) its tval. */
uint64_t fw_probe(int op, int mode, uint64_t va, uint64_t arg);

#define csr_read(csr) ({ uint64_t __v; __asm__ volatile("csrr %0, " #csr : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" :: "r"((uint64_t)(v)) : "memory")
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" :: "r"((uint64_t)(v)) : "memory")
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" :: "r"((uint64_t)(v)) : "memory")

#define TEST_NAME(n) const char fw_test_name[] = n

#endif
#endif
