/*
 * rvc.h - the C extension: expands a 16-bit instruction into the 32-bit
 * instruction it stands for, so the interpreter has one decoder.
 * Returns 0 for an illegal or reserved encoding.
 */
#ifndef UMBRA_CPU_RVC_H
#define UMBRA_CPU_RVC_H

#include <stdint.h>

uint32_t rvc_expand(uint16_t c);

#endif
