/*
 * blocks.c - the block engine: guest code is decoded once into blocks of
 * pre-decoded operations and run by direct threading (computed goto).
 *
 * A block starts at some guest instruction and runs to the first control
 * transfer, system instruction, BLOCK_MAX instructions or the end of the
 * page, whichever comes first; it never spans pages, so the fetch TLB check
 * done before entering it covers all of its instructions.  Blocks are keyed
 * by the host address of their first instruction, i.e. by guest physical
 * memory, so every virtual alias and every view shares them.
 *
 * Coherence: a page that blocks were decoded from is marked as code in the
 * physical map and never gets a TLB write tag; the first write to it (from
 * any hart, a device or the hypervisor) drops every decoded block of the VM
 * (pmap_code_written).  From then on the page counts as code and data
 * (CODE_MIXED): it gets write tags, so a store beside hot code costs nothing,
 * and the blocks decoded from it compare their instructions with memory when
 * they start for the first time after a fence.i (h->fencei_gen), which is
 * when the ISA says a hart must see its new instructions (an SBI remote
 * fence.i counts as one on its target harts).
 *
 * Instructions off the fast path (CSRs, system, FP, AMOs, fences) become an
 * INTERP or FALLBACK operation that calls the reference interpreter,
 * hart_execute(); only FALLBACK ends the block.
 */
#include <stdlib.h>

#include "cpu/alu.h"
#include "cpu/block.h"
#include "cpu/exec.h"
#include "cpu/rvc.h"
#include "mmu/mmu.h"

#define BC_TABLE_BITS BLOCK_TABLE_BITS
#define BC_MAX_OPS (1u << 18)
#define BC_MAX_BLOCKS (1u << 16)

struct bcache {
	struct jit *jit; /* native code for the blocks, or NULL */
	unsigned hot;    /* a block's run that compiles it */
	struct block *table[1u << BC_TABLE_BITS];
	uint32_t nblocks, nops;
	struct block blocks[BC_MAX_BLOCKS];
	struct op ops[BC_MAX_OPS];
};

static unsigned slot(uintptr_t host)
{
	return block_slot(host);
}

int hart_enable_blocks(struct hart *h, unsigned jit_hot)
{
	if (!h->bc && !(h->bc = calloc(1, sizeof(*h->bc))))
		return -1;
	if (jit_hot && !h->bc->jit)
		h->bc->jit = jit_new(); /* none: the blocks run threaded */
	h->bc->hot = jit_hot;
	return 0;
}

/* Has b native code, now that it runs once more?  Compiled on its bc->hot-th
 * run (and again every bc->hot runs while the code buffer is full). */
static inline bool native(struct bcache *bc, struct block *b)
{
	if (b->native)
		return true;
	if (!bc->jit || ++b->heat < bc->hot)
		return false;
	b->heat = 0;
	jit_compile(bc->jit, b, &bc->ops[b->first], bc->table);
	return b->native != NULL;
}

void hart_code_flush(struct hart *h)
{
	if (!h->bc)
		return;
	memset(h->bc->table, 0, sizeof(h->bc->table));
	h->bc->nblocks = h->bc->nops = 0;
	jit_flush(h->bc->jit);
	h->bc_gen++;
}

void hart_destroy(struct hart *h)
{
	if (h->bc)
		jit_free(h->bc->jit);
	free(h->bc);
	h->bc = NULL;
}

/* --- decoding ------------------------------------------------------------ */

static int decode_op(uint32_t i)
{
	unsigned f3 = bits(i, 14, 12), f7 = bits(i, 31, 25);
	switch (i & 0x7f) {
	case 0x37: return K_LUI;
	case 0x17: return K_AUIPC;
	case 0x6f: return K_JAL;
	case 0x67: return f3 == 0 ? K_JALR : -1;
	case 0x63: {
		static const int k[8] = {K_BEQ, K_BNE, -1, -1, K_BLT, K_BGE, K_BLTU, K_BGEU};
		return k[f3];
	}
	case 0x03: {
		static const int k[8] = {K_LB, K_LH, K_LW, K_LD, K_LBU, K_LHU, K_LWU, -1};
		return k[f3];
	}
	case 0x23: {
		static const int k[8] = {K_SB, K_SH, K_SW, K_SD, -1, -1, -1, -1};
		return k[f3];
	}
	case 0x13: {
		static const int k[8] = {K_ADDI, K_SLLI, K_SLTI, K_SLTIU, K_XORI, K_SRLI, K_ORI, K_ANDI};
		if (f3 == 1 && (i >> 26))
			return -1;
		if (f3 == 5) {
			if ((i >> 26) & ~0x10u)
				return -1;
			return (i >> 30) & 1 ? K_SRAI : K_SRLI;
		}
		return k[f3];
	}
	case 0x1b:
		if (f3 == 0)
			return K_ADDIW;
		if (f3 == 1 && f7 == 0)
			return K_SLLIW;
		if (f3 == 5 && f7 == 0)
			return K_SRLIW;
		if (f3 == 5 && f7 == 0x20)
			return K_SRAIW;
		return -1;
	case 0x33: {
		static const int k[8] = {K_ADD, K_SLL, K_SLT, K_SLTU, K_XOR, K_SRL, K_OR, K_AND};
		if (f7 == 1)
			return K_MULDIV;
		if (f7 == 0)
			return k[f3];
		if (f7 == 0x20 && f3 == 0)
			return K_SUB;
		if (f7 == 0x20 && f3 == 5)
			return K_SRA;
		return -1;
	}
	case 0x3b:
		if (f7 == 1)
			return (f3 == 0 || f3 >= 4) ? K_MULDIVW : -1;
		if (f7 == 0 && f3 == 0)
			return K_ADDW;
		if (f7 == 0x20 && f3 == 0)
			return K_SUBW;
		if (f7 == 0 && f3 == 1)
			return K_SLLW;
		if (f7 == 0 && f3 == 5)
			return K_SRLW;
		if (f7 == 0x20 && f3 == 5)
			return K_SRAW;
		return -1;
	}
	return -1;
}

static int64_t op_imm(uint32_t i, int kind)
{
	switch (kind) {
	case K_LUI: case K_AUIPC: return (int32_t)(i & 0xfffff000);
	case K_JAL:
		return (int64_t)(int32_t)(i & 0x80000000) >> 11 | bits(i, 19, 12) << 12 |
		       bits(i, 20, 20) << 11 | bits(i, 30, 21) << 1;
	case K_BEQ: case K_BNE: case K_BLT: case K_BGE: case K_BLTU: case K_BGEU:
		return (int64_t)(int32_t)(i & 0x80000000) >> 19 | bits(i, 7, 7) << 11 |
		       bits(i, 30, 25) << 5 | bits(i, 11, 8) << 1;
	case K_SB: case K_SH: case K_SW: case K_SD:
		return (int64_t)(int32_t)(i & 0xfe000000) >> 20 | bits(i, 11, 7);
	case K_SLLI: case K_SRLI: case K_SRAI: return bits(i, 25, 20);
	case K_SLLIW: case K_SRLIW: case K_SRAIW: return bits(i, 24, 20);
	}
	return (int64_t)(int32_t)i >> 20;
}

static bool ends_block(int kind)
{
	return kind == K_JAL || kind == K_JALR || (kind >= K_BEQ && kind <= K_BGEU);
}

/* An instruction the fallback may run without ending the block. */
static bool fallback_continues(uint32_t i)
{
	switch (i & 0x7f) {
	case 0x07: case 0x27: case 0x2f: case 0x43: case 0x47: case 0x4b: case 0x4f: case 0x53:
		return true;
	}
	return false;
}

/*
 * A CSR instruction after which the block may go on: any access to the
 * scratch, epc, cause and tval registers of S- and M-mode, and reads of any
 * CSR but the counters (whose values the block engine keeps exact only at
 * block ends).  The trap entry and exit code of a kernel is made of these.
 */
static bool csr_continues(uint32_t i)
{
	unsigned f3 = bits(i, 14, 12), csr = i >> 20;
	if ((i & 0x7f) != 0x73 || f3 == 0 || f3 == 4)
		return false;
	if ((csr & ~0x203u) == 0x140) /* sscratch sepc scause stval, mscratch mepc mcause mtval */
		return true;
	bool read_only = (f3 & 3) != 1 && bits(i, 19, 15) == 0;
	return read_only && (csr & 0xf00) != 0xb00 && (csr & 0xf00) != 0xc00;
}

/* The guest-physical address of guest RAM at host address host. */
static gpa_t ram_pa(const struct hart *h, uintptr_t host)
{
	return (gpa_t)(host - (uintptr_t)h->env.mem->host) + h->env.mem->ram_base;
}

/* Decodes the block at pc (host address host); NULL if no instruction fits in the page. */
static struct block *translate(struct hart *h, gva_t pc, uintptr_t host, const void *const *labels)
{
	struct bcache *bc = h->bc;
	if (bc->nblocks == BC_MAX_BLOCKS || bc->nops + BLOCK_MAX + 1 > BC_MAX_OPS ||
	    jit_full(bc->jit))
		hart_code_flush(h);
	struct block *b = &bc->blocks[bc->nblocks];
	b->host = host;
	b->chain[0] = b->chain[1] = NULL;
	b->native = b->chained = b->slot[0] = b->slot[1] = NULL;
	b->heat = 0;
	b->first = bc->nops;
	unsigned off = 0, n = 0;
	int last = -1;
	unsigned room = PAGE_SIZE - (pc & ~PAGE_MASK);
	struct op *op = &bc->ops[b->first];
	while (n < BLOCK_MAX) {
		if (off + 2 > room)
			break;
		uint32_t raw = (uint32_t)ld_le((void *)(host + off), 2), insn = raw;
		unsigned len = 2;
		if ((raw & 3) == 3) {
			if (off + 4 > room)
				break;
			raw = insn = (uint32_t)ld_le((void *)(host + off), 4);
			len = 4;
		} else {
			insn = rvc_expand((uint16_t)raw);
		}
		int kind = insn ? decode_op(insn) : -1;
		bool stop = false;
		if (kind < 0) {
			stop = !insn || !(fallback_continues(insn) || csr_continues(insn));
			kind = stop ? K_FALLBACK : K_INTERP;
		}
		unsigned rd = bits(insn, 11, 7);
		*op = (struct op){.label = labels[kind], .imm = op_imm(insn, kind), .raw = raw,
				  .off = (uint16_t)off, .rd = (uint8_t)(rd ? rd : 32),
				  .rs1 = (uint8_t)bits(insn, 19, 15), .rs2 = (uint8_t)bits(insn, 24, 20),
				  .len = (uint8_t)len, .f3 = (uint8_t)bits(insn, 14, 12),
				  .kind = (uint8_t)kind};
		op++, n++;
		off += len;
		last = kind;
		if (stop || ends_block(kind))
			break;
	}
	int mark = n ? pmap_mark_code(h->env.mem, ram_pa(h, host)) : -1;
	if (mark < 0)
		return NULL;
	b->selfcheck = mark > 0;
	b->checked = h->fencei_gen;
	if (!ends_block(last)) {
		/* A block that does not end in a jump or branch falls through. */
		*op = (struct op){.label = labels[K_END], .off = (uint16_t)off, .kind = K_END};
		n++;
	}
	b->nops = (uint16_t)n;
	bc->nops += n;
	bc->nblocks++;
	bc->table[slot(host)] = b;
	return b;
}

/* --- running ------------------------------------------------------------- */

/*
 * A block of a CODE_MIXED page, about to start after a fence.i: if its
 * instructions changed, drops all decoded code (as a write to a code page
 * does) and says so; the caller must not touch b then and goes back to
 * fetching at h->pc.
 */
static bool stale(struct hart *h, struct block *b)
{
	if (LIKELY(!b->selfcheck || b->checked == h->fencei_gen))
		return false;
	const struct op *op = &h->bc->ops[b->first];
	for (unsigned i = 0; i < b->nops; i++, op++)
		if (op->kind != K_END && (uint32_t)ld_le((void *)(b->host + op->off), op->len) != op->raw) {
			pmap_code_written(h->env.mem, ram_pa(h, b->host));
			return true;
		}
	b->checked = h->fencei_gen;
	return false;
}

/*
 * The fetch TLB's host address for pc, filling it (or trapping) if needed.
 * 0 if there is none: then *insn holds the fetched instruction when
 * *fetched is set (a page that may not be cached, or an instruction
 * straddling two pages), else the fetch trapped.
 */
static uintptr_t fetch_host(struct hart *h, gva_t pc, uint32_t *insn, bool *fetched)
{
	struct tlb_entry *e = tlb_lookup(h->tlb_fetch, pc);
	*fetched = false;
	if (LIKELY(e->tag_x == (pc & PAGE_MASK)))
		return (uintptr_t)(pc + e->addend);
	if (!mmu_fetch_slow(h, pc, insn))
		return 0;
	e = tlb_lookup(h->tlb_fetch, pc);
	if (e->tag_x == (pc & PAGE_MASK) && ((pc + 2) & ~PAGE_MASK))
		return (uintptr_t)(pc + e->addend);
	*fetched = true;
	return 0;
}

uint64_t hart_run_blocks(struct hart *h, uint64_t budget)
{
	static const void *const labels[K_NKINDS] = {
		[K_ADD] = &&add, [K_SUB] = &&sub, [K_SLL] = &&sll, [K_SLT] = &&slt,
		[K_SLTU] = &&sltu, [K_XOR] = &&xor, [K_SRL] = &&srl, [K_SRA] = &&sra,
		[K_OR] = &&or, [K_AND] = &&and, [K_ADDI] = &&addi, [K_SLTI] = &&slti,
		[K_SLTIU] = &&sltiu, [K_XORI] = &&xori, [K_ORI] = &&ori, [K_ANDI] = &&andi,
		[K_SLLI] = &&slli, [K_SRLI] = &&srli, [K_SRAI] = &&srai, [K_ADDW] = &&addw,
		[K_SUBW] = &&subw, [K_SLLW] = &&sllw, [K_SRLW] = &&srlw, [K_SRAW] = &&sraw,
		[K_ADDIW] = &&addiw, [K_SLLIW] = &&slliw, [K_SRLIW] = &&srliw, [K_SRAIW] = &&sraiw,
		[K_MULDIV] = &&muldiv, [K_MULDIVW] = &&muldivw, [K_LUI] = &&lui, [K_AUIPC] = &&auipc,
		[K_LB] = &&lb, [K_LH] = &&lh, [K_LW] = &&lw, [K_LD] = &&ld, [K_LBU] = &&lbu,
		[K_LHU] = &&lhu, [K_LWU] = &&lwu, [K_SB] = &&sb, [K_SH] = &&sh, [K_SW] = &&sw,
		[K_SD] = &&sd, [K_JAL] = &&jal, [K_JALR] = &&jalr, [K_BEQ] = &&beq, [K_BNE] = &&bne,
		[K_BLT] = &&blt, [K_BGE] = &&bge, [K_BLTU] = &&bltu, [K_BGEU] = &&bgeu,
		[K_INTERP] = &&fallback, [K_FALLBACK] = &&fallback, [K_END] = &&end,
	};
	uint64_t start = h->instret;
	uint64_t *x = h->x;
	uint64_t done = 0;
	while (done < budget && !h->stop) {
		gva_t bpc = h->pc;
		uint32_t insn;
		bool fetched;
		uintptr_t host = fetch_host(h, bpc, &insn, &fetched);
		if (!host) {
			if (fetched) /* not cacheable, or straddling two pages: one at a time */
				hart_execute(h, insn);
			done++;
			continue;
		}
		struct block *b = h->bc->table[slot(host)];
		if (UNLIKELY(!b || b->host != host)) {
			b = translate(h, bpc, host, labels);
			if (!b) {
				if (mmu_fetch_slow(h, bpc, &insn))
					hart_execute(h, insn);
				done++;
				continue;
			}
		}
		if (stale(h, b))
			continue;
		const struct op *op = &h->bc->ops[b->first];
		uint64_t n = 0, v, va;
		int link;
		uint32_t r;
		if (native(h->bc, b))
			goto native;
	#define NEXT do { n++; op++; goto *op->label; } while (0)
#define R1 x[op->rs1]
#define R2 x[op->rs2]
#define RDV x[op->rd]
#define PC (bpc + op->off)
		goto *op->label;
add:	RDV = R1 + R2; NEXT;
sub:	RDV = R1 - R2; NEXT;
sll:	RDV = R1 << (R2 & 63); NEXT;
slt:	RDV = (int64_t)R1 < (int64_t)R2; NEXT;
sltu:	RDV = R1 < R2; NEXT;
xor:	RDV = R1 ^ R2; NEXT;
srl:	RDV = R1 >> (R2 & 63); NEXT;
sra:	RDV = (uint64_t)((int64_t)R1 >> (R2 & 63)); NEXT;
or:	RDV = R1 | R2; NEXT;
and:	RDV = R1 & R2; NEXT;
addi:	RDV = R1 + (uint64_t)op->imm; NEXT;
slti:	RDV = (int64_t)R1 < op->imm; NEXT;
sltiu:	RDV = R1 < (uint64_t)op->imm; NEXT;
xori:	RDV = R1 ^ (uint64_t)op->imm; NEXT;
ori:	RDV = R1 | (uint64_t)op->imm; NEXT;
andi:	RDV = R1 & (uint64_t)op->imm; NEXT;
slli:	RDV = R1 << op->imm; NEXT;
srli:	RDV = R1 >> op->imm; NEXT;
srai:	RDV = (uint64_t)((int64_t)R1 >> op->imm); NEXT;
addw:	RDV = (uint64_t)(int32_t)(uint32_t)(R1 + R2); NEXT;
subw:	RDV = (uint64_t)(int32_t)(uint32_t)(R1 - R2); NEXT;
sllw:	RDV = (uint64_t)(int32_t)((uint32_t)R1 << (R2 & 31)); NEXT;
srlw:	RDV = (uint64_t)(int32_t)((uint32_t)R1 >> (R2 & 31)); NEXT;
sraw:	RDV = (uint64_t)(int64_t)((int32_t)R1 >> (R2 & 31)); NEXT;
addiw:	RDV = (uint64_t)(int32_t)(uint32_t)(R1 + (uint64_t)op->imm); NEXT;
slliw:	RDV = (uint64_t)(int32_t)((uint32_t)R1 << op->imm); NEXT;
srliw:	RDV = (uint64_t)(int32_t)((uint32_t)R1 >> op->imm); NEXT;
sraiw:	RDV = (uint64_t)(int64_t)((int32_t)R1 >> op->imm); NEXT;
muldiv:	RDV = muldiv(op->f3, R1, R2); NEXT;
muldivw: muldiv32(op->f3, R1, R2, &RDV); NEXT;
lui:	RDV = (uint64_t)op->imm; NEXT;
auipc:	RDV = PC + (uint64_t)op->imm; NEXT;

#define LOAD(size, conv)                                                        \
	va = R1 + (uint64_t)op->imm;                                           \
	if (UNLIKELY(!tlb_load_hit(h, va, size, &v))) {                        \
		uint64_t gen = h->bc_gen;                                      \
		h->pc = PC;                                                    \
		if (!mmu_load_slow(h, va, size, &v))                           \
			goto fault;                                            \
		/* A device raised an interrupt, or the page walk set A/D bits \
		 * in a page that is also code: leave the block. */            \
		if (h->stop || gen != h->bc_gen) {                             \
			RDV = conv;                                            \
			goto after_slow;                                       \
		}                                                              \
	}                                                                      \
	RDV = conv;                                                            \
	NEXT;
lb:	LOAD(1, (uint64_t)(int8_t)v)
lh:	LOAD(2, (uint64_t)(int16_t)v)
lw:	LOAD(4, (uint64_t)(int32_t)v)
ld:	LOAD(8, v)
lbu:	LOAD(1, v)
lhu:	LOAD(2, v)
lwu:	LOAD(4, v)

#define STORE(size)                                                             \
	va = R1 + (uint64_t)op->imm;                                           \
	if (UNLIKELY(!tlb_store_hit(h, va, size, R2))) {                       \
		uint64_t gen = h->bc_gen;                                      \
		h->pc = PC;                                                    \
		if (!mmu_store_slow(h, va, size, R2))                          \
			goto fault;                                            \
		/* It dropped decoded code, or a device raised an interrupt. */\
		if (gen != h->bc_gen || h->stop)                               \
			goto after_slow;                                       \
	}                                                                      \
	NEXT;
sb:	STORE(1)
sh:	STORE(2)
sw:	STORE(4)
sd:	STORE(8)

jal:	RDV = PC + op->len;
	h->pc = PC + (uint64_t)op->imm;
	link = 0;
	goto chain;
jalr:	v = (R1 + (uint64_t)op->imm) & ~1ull;
	RDV = PC + op->len;
	h->pc = v;
	link = -1;
	goto chain;
#define BRANCH(cond)                                                            \
	if (cond) {                                                            \
		h->pc = PC + (uint64_t)op->imm;                                \
		link = 0;                                                      \
	} else {                                                               \
		h->pc = PC + op->len;                                          \
		link = 1;                                                      \
	}                                                                      \
	goto chain;
beq:	BRANCH(R1 == R2)
bne:	BRANCH(R1 != R2)
blt:	BRANCH((int64_t)R1 < (int64_t)R2)
bge:	BRANCH((int64_t)R1 >= (int64_t)R2)
bltu:	BRANCH(R1 < R2)
bgeu:	BRANCH(R1 >= R2)

fallback: {
		uint64_t gen = h->bc_gen;
		gva_t next = PC + op->len;
		h->instret += n; /* the interpreter counts its own instruction */
		done += n + 1;   /* ... but the budget must count it too */
		n = 0;
		h->pc = PC;
		uint64_t retired = h->instret;
		hart_execute(h, op->raw);
		/* A trap (nothing retired, even if the handler is the next address) or
		 * a system instruction (CSR, fence, xRET...), which may change
		 * translation or permissions: the next block goes through the fetch TLB. */
		if (h->pc != next || h->stop || gen != h->bc_gen || h->instret == retired ||
		    ((op->raw & 0x7f) == 0x73 && op->kind == K_FALLBACK))
			goto out;
		op++;
		goto *op->label;
	}
after_slow: /* the instruction completed, but the block must not go on */
	h->pc = PC + op->len;
	n++;
	goto out;
end:	h->pc = PC;
	link = 1;
	n--; /* END is not an instruction */
chain:
		/*
		 * Block chaining: a successor in the same virtual page shares
		 * this block's fetch translation, so it can be entered without
		 * a TLB lookup.  Direct successors are remembered in the block.
		 */
		n++;
		h->instret += n;
		done += n;
		n = 0;
chained:
		if (((h->pc ^ bpc) & PAGE_MASK) || h->stop || done >= budget)
			continue;
		{
			struct block *nb = link >= 0 ? b->chain[link] : NULL;
			if (!nb) {
				uintptr_t nhost = b->host + (uintptr_t)(h->pc - bpc);
				nb = h->bc->table[slot(nhost)];
				if (!nb || nb->host != nhost)
					continue;
				if (link >= 0)
					b->chain[link] = nb;
			}
			if (stale(h, nb))
				continue;
			if (!native(h->bc, nb)) {
				b = nb;
				bpc = h->pc;
				op = &h->bc->ops[b->first];
				goto *op->label;
			}
			if (link >= 0 && b->native) /* b's code goes straight on to nb's from now on */
				jit_link(h->bc->jit, b, link, nb);
			b = nb;
			bpc = h->pc;
		}
native:
		/* The blocks' code runs their operations as far as their fast paths
		 * go, from block to chained block while the budget lasts. */
		{
			int64_t left = h->jit_left = (int64_t)(budget - done);
			r = ((jit_fn)b->native)(h);
			done += (uint64_t)(left - h->jit_left);
			b = h->jit_block;
			bpc = h->jit_bpc;
		}
		if (r == JIT_STALE) { /* its instructions need a look: see stale() */
			stale(h, b);
			continue;
		}
		if (r < JIT_CHAIN) { /* operation r is the engine's: a fallback */
			n = r;
			op = &h->bc->ops[b->first + r];
			goto *op->label;
		}
		if (r >= JIT_AFTER) {
			n = r - (r >= JIT_FAULT ? JIT_FAULT : JIT_AFTER);
			op = &h->bc->ops[b->first + n];
			if (r >= JIT_FAULT)
				goto fault;
			goto after_slow;
		}
		link = (int)(r - JIT_CHAIN) - 1;
		goto chained;
fault:
out:
		h->instret += n;
		done += n + (n == 0);
		x[0] = 0;
		x[32] = 0;
#undef NEXT
	}
	return h->instret - start;
}
