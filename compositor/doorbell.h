/* compositor/doorbell.h: the channel's doorbell from client to compositor:
 * MSI-X vector 0 of the ivshmem function, taken through VFIO (no-IOMMU
 * mode, the function bound to vfio-pci by thatte-init) as an eventfd the
 * session's poll() waits on instead of its 10 ms round. Where there is
 * none (no vfio-pci, no MSI-X, a channel file) the channel is polled. */
#ifndef THATTE_COMP_DOORBELL_H
#define THATTE_COMP_DOORBELL_H

#include <stddef.h>

struct comp_doorbell {
        int event;              /* eventfd signalled by vector 0, or -1 */
        int device, group, container;
};

/* comp_doorbell_open: for the PCI function whose sysfs resource2 is
 * resource_path, an eventfd on its MSI-X vector 0. Returns 0, or -errno
 * with why in err (b->event is -1 then, nothing left open). */
int comp_doorbell_open(struct comp_doorbell *b, const char *resource_path, char *err,
                       size_t errlen);

/* comp_doorbell_drain: reads the eventfd fd of a doorbell: any number of
 * interrupts folds into one read. Returns the count, 0 when nothing rang. */
unsigned long long comp_doorbell_drain(int fd);

/* comp_doorbell_close: gives the vector back and closes everything. */
void comp_doorbell_close(struct comp_doorbell *b);

#endif
