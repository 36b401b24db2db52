/* kernel/core/message.c: copying a message from one thread to another:
 * message registers, the info word, the badge and at most one capability
 * (only when the sender's cap had the grant right). */
#include "kernel.h"

/* The slot the receiver named for a capability, or NULL. The buffer may
 * be user memory: each word is read once. */
static struct mk_cte *recv_slot(struct mk_tcb *dst)
{
        uint64_t cnode = dst->ipcbuf->recv_cnode, index = dst->ipcbuf->recv_index;
        struct mk_cte *cn;

        if (cnode == 0)
                return NULL;
        if (mk_lookup_cap(dst, cnode, &cn) != MK_OK)
                return NULL;
        if (cn->cap.type != MK_OBJ_CNODE || index >> cn->cap.bits)
                return NULL;
        cn = mk_cnode_slots(&cn->cap) + index;
        return cn->cap.type == MK_OBJ_NULL ? cn : NULL;
}

static unsigned transfer_cap(struct mk_tcb *src, struct mk_tcb *dst)
{
        struct mk_cte *from, *to;
        struct mk_cap c;

        if (mk_lookup_cap(src, src->ipcbuf->caps[0], &from) != MK_OK)
                return 0;
        if (mk_cap_derive(&from->cap, MK_RIGHTS_ALL, false, 0, &c) != MK_OK)
                return 0;
        to = recv_slot(dst);
        if (!to)
                return 0;
        mk_mdb_insert_child(from, to, &c);
        return 1;
}

/* mk_msg_transfer: deliver src's message to dst with badge. Caps the
 * receiver cannot take are dropped; the info word dst gets counts the ones
 * that arrived. A length above MK_MSG_MAX is cut to MK_MSG_MAX. */
void mk_msg_transfer(struct mk_kernel *k, struct mk_tcb *src, struct mk_tcb *dst,
                     uint64_t badge, bool grant)
{
        uint64_t info = src->regs.info;
        unsigned len = mk_info_len(info), caps = 0, i;

        if (len > MK_MSG_MAX)
                len = MK_MSG_MAX;
        for (i = 0; i < len && i < MK_MSG_REG_MRS; i++)
                dst->regs.mr[i] = src->regs.mr[i];
        for (; i < len; i++)
                dst->ipcbuf->mr[i] = src->ipcbuf->mr[i];
        if (grant && mk_info_caps(info) > 0)
                caps = transfer_cap(src, dst);
        dst->regs.info = mk_info(mk_info_label(info), caps, len);
        dst->regs.cptr = badge;
}
