/* kernel/core/queue.c: FIFO queues of threads waiting on an endpoint or a
 * notification, linked through the TCBs. */
#include "kernel.h"

/* mk_queue_append: put t at the tail of q. */
void mk_queue_append(struct mk_queue *q, struct mk_tcb *t)
{
        t->ep_next = NULL;
        t->ep_prev = q->tail;
        if (q->tail)
                q->tail->ep_next = t;
        else
                q->head = t;
        q->tail = t;
}

/* mk_queue_remove: take t, which must be in q, out of it. */
void mk_queue_remove(struct mk_queue *q, struct mk_tcb *t)
{
        if (t->ep_prev)
                t->ep_prev->ep_next = t->ep_next;
        else
                q->head = t->ep_next;
        if (t->ep_next)
                t->ep_next->ep_prev = t->ep_prev;
        else
                q->tail = t->ep_prev;
        t->ep_prev = t->ep_next = NULL;
}
