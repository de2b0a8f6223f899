/*
 * block.h - the decoded form of guest code, shared by the block engine
 * (blocks.c) and its x86-64 code generator (jit.c).  Private to src/cpu/.
 *
 * A block is up to BLOCK_MAX operations decoded from one guest page; each
 * operation is one guest instruction, except a closing K_END (a block that
 * falls through).  Branches and jumps only ever end a block.
 */
#ifndef UMBRA_CPU_BLOCK_H
#define UMBRA_CPU_BLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define BLOCK_MAX 64
#define BLOCK_TABLE_BITS 14

/* Where the block that starts at host address `host` sits in the engine's table. */
static inline unsigned block_slot(uintptr_t host)
{
	return (unsigned)((host >> 1) ^ (host >> 15)) & ((1u << BLOCK_TABLE_BITS) - 1);
}

enum op_kind {
	K_ADD, K_SUB, K_SLL, K_SLT, K_SLTU, K_XOR, K_SRL, K_SRA, K_OR, K_AND,
	K_ADDI, K_SLTI, K_SLTIU, K_XORI, K_ORI, K_ANDI, K_SLLI, K_SRLI, K_SRAI,
	K_ADDW, K_SUBW, K_SLLW, K_SRLW, K_SRAW, K_ADDIW, K_SLLIW, K_SRLIW, K_SRAIW,
	K_MULDIV, K_MULDIVW, K_LUI, K_AUIPC,
	K_LB, K_LH, K_LW, K_LD, K_LBU, K_LHU, K_LWU, K_SB, K_SH, K_SW, K_SD,
	K_JAL, K_JALR, K_BEQ, K_BNE, K_BLT, K_BGE, K_BLTU, K_BGEU,
	K_INTERP, K_FALLBACK, K_END, K_NKINDS
};
/*
 * K_INTERP and K_FALLBACK run in the reference interpreter (hart_execute());
 * after K_INTERP (FP, AMO, and the CSR accesses that cannot change
 * translation, privilege or the counters) the block goes on, K_FALLBACK
 * (every other instruction off the fast path) ends it.
 */

struct op {
	const void *label;
	int64_t imm;
	uint32_t raw;   /* the instruction as fetched, for INTERP and FALLBACK */
	uint16_t off;   /* byte offset of the instruction from the block start */
	uint8_t rd, rs1, rs2, len, f3;
	uint8_t kind;   /* enum op_kind */
};

struct block {
	uintptr_t host;
	void *native;           /* jit.c's code for it, or NULL */
	void *chained;          /* its code's entry from a predecessor's code */
	void *slot[2];          /* the rel32 of its code's jump to the successor for link 0/1 */
	struct block *chain[2]; /* successors in the same page: jump/taken, fall-through */
	uint32_t first;
	uint16_t nops;
	uint16_t heat;          /* runs without native code, towards the engine's threshold */
	bool selfcheck;         /* a CODE_MIXED page's: checks its instructions after a fence.i */
	uint64_t checked;       /* the hart's fencei_gen when they were last found unchanged */
};

struct hart;

/*
 * jit.c: x86-64 code for decoded blocks.  The code runs a block's
 * operations natively as long as they stay on their fast paths (TLB hits,
 * no fallback) and returns to the block engine otherwise, which goes on
 * from that very operation; so it changes nothing the guest can observe.
 *
 * r = ((jit_fn)b->native)(h), entered with h->pc at the block's start
 * and h->jit_left > 0: the code runs the block and, while the budget lasts
 * and h->stop is clear, the blocks jit_link() chained to it.  Every block it
 * completes adds its instructions to h->instret and takes them from
 * h->jit_left.  It returns in block h->jit_block, which starts at h->jit_bpc:
 *   r < JIT_CHAIN   operation r of that block is next (its first r
 *                   instructions retired, not yet counted); h->pc = h->jit_bpc
 *   JIT_CHAIN <= r < JIT_AFTER  that block ran to its end (counted) and set
 *                   h->pc; the link to follow is r - JIT_CHAIN - 1 (0 jump/taken,
 *                   1 fall-through, -1 none)
 *   JIT_AFTER + i   operation i, a load or store, completed through the slow
 *                   path, which asks to leave the block (an interrupt, or code
 *                   dropped); operations before it retired, not yet counted
 *   JIT_FAULT + i   operation i trapped (h->pc is the handler); operations
 *                   before it retired, not yet counted
 *   JIT_STALE       the block (selfcheck) must have its instructions checked
 *                   first (a fence.i since the last check): nothing of it
 *                   ran; h->pc = its start
 */
#define JIT_CHAIN 0x10000u
#define JIT_AFTER 0x20000u
#define JIT_FAULT 0x30000u
#define JIT_STALE 0x40000u
typedef uint32_t (*jit_fn)(struct hart *h);

struct jit;
/* NULL where there is no code generator (not x86-64, or no executable memory). */
struct jit *jit_new(void);
void jit_free(struct jit *j);
/* Forgets all code: call it whenever the blocks are dropped. */
void jit_flush(struct jit *j);
/* Is the buffer too full for another block?  (Then flush it with the blocks.) */
bool jit_full(const struct jit *j);
/*
 * Sets b->native (NULL: no code generator, or the buffer is full), b->chained
 * and b->slot.  The engine calls it for a block once the block has run a
 * number of times (hart_enable_blocks()): cold code is not worth compiling.
 * table is the engine's block table (block_slot()): an indirect jump looks
 * its target up there.
 */
void jit_compile(struct jit *j, struct block *b, const struct op *ops, struct block *const *table);
/* From now on b's code goes straight on to next's for link (0 or 1). */
void jit_link(struct jit *j, struct block *b, int link, const struct block *next);

#endif
