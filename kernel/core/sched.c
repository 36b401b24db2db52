/* kernel/core/sched.c: 256 fixed priorities, round robin within each.
 * Ready threads wait in one queue per priority; a two-level bitmap (one bit
 * per non-empty queue, one bit per non-empty word) finds the highest in
 * constant time, and k->ready_top keeps it (+ 1) for the fast path. The running thread is k->cur and is in no queue. */
#include "kernel.h"

/* mk_sched_enqueue: queue the ready thread t at its priority, at the head
 * or the tail, and mark the priority in the bitmap. */
void mk_sched_enqueue(struct mk_kernel *k, struct mk_tcb *t, bool head)
{
        struct mk_queue *q = &k->ready[t->prio];

        if (head) {
                t->sched_prev = NULL;
                t->sched_next = q->head;
                if (q->head)
                        q->head->sched_prev = t;
                else
                        q->tail = t;
                q->head = t;
        } else {
                t->sched_next = NULL;
                t->sched_prev = q->tail;
                if (q->tail)
                        q->tail->sched_next = t;
                else
                        q->head = t;
                q->tail = t;
        }
        k->bitmap[t->prio >> 6] |= (uint64_t)1 << (t->prio & 63);
        k->bitmap_top |= (uint64_t)1 << (t->prio >> 6);
        if (t->prio + 1u > k->ready_top)
                k->ready_top = t->prio + 1u;
}

/* mk_sched_dequeue: take the queued thread t out; clear its bitmap bits
 * when its queue empties. */
void mk_sched_dequeue(struct mk_kernel *k, struct mk_tcb *t)
{
        struct mk_queue *q = &k->ready[t->prio];

        if (t->sched_prev)
                t->sched_prev->sched_next = t->sched_next;
        else
                q->head = t->sched_next;
        if (t->sched_next)
                t->sched_next->sched_prev = t->sched_prev;
        else
                q->tail = t->sched_prev;
        t->sched_prev = t->sched_next = NULL;
        if (!q->head) {
                k->bitmap[t->prio >> 6] &= ~((uint64_t)1 << (t->prio & 63));
                if (!k->bitmap[t->prio >> 6])
                        k->bitmap_top &= ~((uint64_t)1 << (t->prio >> 6));
                if (t->prio + 1u == k->ready_top)
                        k->ready_top = (uint64_t)(mk_sched_highest(k) + 1);
        }
}

/* mk_sched_wake: make a blocked or inactive thread ready (queue tail). */
void mk_sched_wake(struct mk_kernel *k, struct mk_tcb *t)
{
        t->state = MK_TS_READY;
        t->blocked_on = NULL;
        mk_sched_enqueue(k, t, false);
}

/* mk_sched_block: take t off the CPU or out of the ready queues. */
void mk_sched_block(struct mk_kernel *k, struct mk_tcb *t, uint8_t state)
{
        if (t->state == MK_TS_READY)
                mk_sched_dequeue(k, t);
        t->state = state;
}

/* mk_schedule: keep the running thread while no ready thread has a higher
 * priority; otherwise a preempted thread goes back to the head of its queue
 * (it keeps its turn) and the head of the highest queue runs. */
void mk_schedule(struct mk_kernel *k)
{
        struct mk_tcb *cur = k->cur, *t;
        int h = mk_sched_highest(k);

        if (cur && cur->state == MK_TS_RUNNING) {
                if (h <= (int)cur->prio)
                        return;
                cur->state = MK_TS_READY;
                mk_sched_enqueue(k, cur, true);
                h = mk_sched_highest(k);
        }
        if (h < 0) {
                k->cur = NULL;
                return;
        }
        t = k->ready[h].head;
        mk_sched_dequeue(k, t);
        t->state = MK_TS_RUNNING;
        k->cur = t;
}

/* mk_sched_yield: the running thread goes to the tail of its priority with
 * a fresh timeslice. */
void mk_sched_yield(struct mk_kernel *k)
{
        struct mk_tcb *cur = k->cur;

        if (!cur || cur->state != MK_TS_RUNNING)
                return;
        cur->timeslice = MK_TIMESLICE_TICKS;
        cur->state = MK_TS_READY;
        mk_sched_enqueue(k, cur, false);
        mk_schedule(k);
}
