/*
 * fdt.c - the device tree, node for node like QEMU 7.2's virt machine
 * (../shared/reference/qemu-virt-7.2.dts), minus the devices umbra does not
 * have (PCI, flash, fw-cfg, RTC) and with the ISA umbra implements.
 */
#include "machine/fdt.h"

#include <libfdt.h>
#include <stdio.h>

#define ISA_STRING "rv64imafdc_zicsr_zifencei_zicntr"
static const char isa_extensions[] = "i\0m\0a\0f\0d\0c\0zicsr\0zifencei\0zicntr";

enum { PH_PLIC = 1, PH_TEST = 2, PH_CPU = 16, PH_INTC = 32 };

#define TRY(x)                    \
	do {                      \
		int rc_ = (x);    \
		if (rc_ < 0)      \
			return rc_; \
	} while (0)

static int prop_reg(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = {cpu_to_fdt64(base), cpu_to_fdt64(size)};
	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

static int begin_nodef(void *fdt, const char *fmt, uint64_t addr)
{
	char name[64];
	snprintf(name, sizeof(name), fmt, (unsigned long long)addr);
	return fdt_begin_node(fdt, name);
}

static int cpus(void *fdt, const struct board_desc *d)
{
	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_u32(fdt, "#address-cells", 1));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	TRY(fdt_property_u32(fdt, "timebase-frequency", VIRT_TIMEBASE_HZ));
	for (unsigned i = 0; i < d->nharts; i++) {
		TRY(begin_nodef(fdt, "cpu@%llx", i));
		TRY(fdt_property_u32(fdt, "phandle", PH_CPU + i));
		TRY(fdt_property_string(fdt, "device_type", "cpu"));
		TRY(fdt_property_u32(fdt, "reg", i));
		TRY(fdt_property_string(fdt, "status", "okay"));
		TRY(fdt_property_string(fdt, "compatible", "riscv"));
		TRY(fdt_property_string(fdt, "riscv,isa", ISA_STRING));
		TRY(fdt_property_string(fdt, "riscv,isa-base", "rv64i"));
		TRY(fdt_property(fdt, "riscv,isa-extensions", isa_extensions, sizeof(isa_extensions)));
		TRY(fdt_property_string(fdt, "mmu-type", "riscv,sv48"));
		TRY(fdt_begin_node(fdt, "interrupt-controller"));
		TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
		TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
		TRY(fdt_property_string(fdt, "compatible", "riscv,cpu-intc"));
		TRY(fdt_property_u32(fdt, "phandle", PH_INTC + i));
		TRY(fdt_end_node(fdt));
		TRY(fdt_end_node(fdt));
	}
	TRY(fdt_begin_node(fdt, "cpu-map"));
	TRY(fdt_begin_node(fdt, "cluster0"));
	for (unsigned i = 0; i < d->nharts; i++) {
		TRY(begin_nodef(fdt, "core%llu", i));
		TRY(fdt_property_u32(fdt, "cpu", PH_CPU + i));
		TRY(fdt_end_node(fdt));
	}
	TRY(fdt_end_node(fdt));
	TRY(fdt_end_node(fdt));
	return fdt_end_node(fdt);
}

/* interrupts-extended = <intc0 a intc0 b intc1 a intc1 b ...> */
static int irqs_extended(void *fdt, unsigned nharts, uint32_t a, uint32_t b)
{
	fdt32_t cells[4 * 8];
	for (unsigned i = 0; i < nharts; i++) {
		cells[4 * i + 0] = cpu_to_fdt32(PH_INTC + i);
		cells[4 * i + 1] = cpu_to_fdt32(a);
		cells[4 * i + 2] = cpu_to_fdt32(PH_INTC + i);
		cells[4 * i + 3] = cpu_to_fdt32(b);
	}
	return fdt_property(fdt, "interrupts-extended", cells, 16 * nharts);
}

static int device(void *fdt, const char *fmt, uint64_t base, uint64_t size,
		  const char *compat, size_t compat_len, int irq)
{
	TRY(begin_nodef(fdt, fmt, base));
	TRY(prop_reg(fdt, base, size));
	TRY(fdt_property(fdt, "compatible", compat, compat_len));
	if (irq >= 0) {
		TRY(fdt_property_u32(fdt, "interrupts", (uint32_t)irq));
		TRY(fdt_property_u32(fdt, "interrupt-parent", PH_PLIC));
	}
	return 0;
}

static int soc(void *fdt, const struct board_desc *d)
{
	static const char clint_c[] = "sifive,clint0\0riscv,clint0";
	static const char plic_c[] = "sifive,plic-1.0.0\0riscv,plic0";
	static const char test_c[] = "sifive,test1\0sifive,test0\0syscon";
	TRY(fdt_begin_node(fdt, "soc"));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	TRY(fdt_property_string(fdt, "compatible", "simple-bus"));
	TRY(fdt_property(fdt, "ranges", NULL, 0));

	TRY(device(fdt, "clint@%llx", VIRT_CLINT_BASE, 0x10000, clint_c, sizeof(clint_c), -1));
	TRY(irqs_extended(fdt, d->nharts, 3, 7));
	TRY(fdt_end_node(fdt));

	TRY(device(fdt, "plic@%llx", VIRT_PLIC_BASE, 0x600000, plic_c, sizeof(plic_c), -1));
	TRY(fdt_property_u32(fdt, "phandle", PH_PLIC));
	TRY(fdt_property_u32(fdt, "riscv,ndev", VIRT_PLIC_NDEV));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property_u32(fdt, "#address-cells", 0));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
	TRY(irqs_extended(fdt, d->nharts, 11, 9));
	TRY(fdt_end_node(fdt));

	TRY(device(fdt, "serial@%llx", VIRT_UART_BASE, 0x100, "ns16550a", sizeof("ns16550a"),
		   VIRT_UART_IRQ));
	TRY(fdt_property_u32(fdt, "clock-frequency", 3686400));
	TRY(fdt_end_node(fdt));

	TRY(device(fdt, "test@%llx", VIRT_TEST_BASE, 0x1000, test_c, sizeof(test_c), -1));
	TRY(fdt_property_u32(fdt, "phandle", PH_TEST));
	TRY(fdt_end_node(fdt));

	for (unsigned i = 0; i < d->nvirtio; i++) {
		gpa_t base = VIRT_VIRTIO_BASE + i * VIRT_VIRTIO_STRIDE;
		TRY(device(fdt, "virtio_mmio@%llx", base, VIRT_VIRTIO_STRIDE, "virtio,mmio",
			   sizeof("virtio,mmio"), (int)(VIRT_VIRTIO_IRQ + i)));
		TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int syscon_node(void *fdt, const char *name, const char *compat, uint32_t value)
{
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "compatible", compat));
	TRY(fdt_property_u32(fdt, "regmap", PH_TEST));
	TRY(fdt_property_u32(fdt, "offset", 0));
	TRY(fdt_property_u32(fdt, "value", value));
	return fdt_end_node(fdt);
}

static int chosen(void *fdt, const struct board_desc *d)
{
	TRY(fdt_begin_node(fdt, "chosen"));
	if (d->bootargs)
		TRY(fdt_property_string(fdt, "bootargs", d->bootargs));
	TRY(fdt_property_string(fdt, "stdout-path", "/soc/serial@10000000"));
	if (d->initrd_end > d->initrd_start) {
		TRY(fdt_property_u64(fdt, "linux,initrd-start", d->initrd_start));
		TRY(fdt_property_u64(fdt, "linux,initrd-end", d->initrd_end));
	}
	TRY(fdt_property(fdt, "rng-seed", d->rng_seed, sizeof(d->rng_seed)));
	return fdt_end_node(fdt);
}

int fdt_build(const struct board_desc *d, void *buf, size_t bufsize)
{
	void *fdt = buf;
	if (d->nharts == 0 || d->nharts > 8 || d->nvirtio > BOARD_MAX_VIRTIO)
		return -FDT_ERR_BADVALUE;
	TRY(fdt_create(fdt, (int)bufsize));
	TRY(fdt_finish_reservemap(fdt));
	TRY(fdt_begin_node(fdt, ""));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	TRY(fdt_property_string(fdt, "compatible", "riscv-virtio"));
	TRY(fdt_property_string(fdt, "model", "riscv-virtio,umbra"));
	TRY(chosen(fdt, d));
	TRY(syscon_node(fdt, "poweroff", "syscon-poweroff", 0x5555));
	TRY(syscon_node(fdt, "reboot", "syscon-reboot", 0x7777));
	TRY(begin_nodef(fdt, "memory@%llx", d->ram_base));
	TRY(fdt_property_string(fdt, "device_type", "memory"));
	TRY(prop_reg(fdt, d->ram_base, d->ram_size));
	TRY(fdt_end_node(fdt));
	TRY(cpus(fdt, d));
	TRY(soc(fdt, d));
	TRY(fdt_end_node(fdt));
	TRY(fdt_finish(fdt));
	return (int)fdt_totalsize(fdt);
}
