/* vmm/ports.h: are the host ports of a profile's forwards free? */
#ifndef VMM_PORTS_H
#define VMM_PORTS_H

#include <stddef.h>

#include "profile.h"

/* vmm_forwards_free: binds each forward's host port on 127.0.0.1 for a
 * moment. Returns 0 when all are free, else the first failure as -errno
 * (-EADDRINUSE: taken) with a one-line reason naming the port in why. */
int vmm_forwards_free(const vmm_profile *p, char *why, size_t size);

#endif
