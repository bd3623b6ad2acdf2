package com.couponrush.requestpath;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's executor on virtual threads: like Spring Boot's, it starts a virtual thread for each task (each
 * request), but in turns. At most one turn of started threads waits for the scheduler at a time, and the next turn
 * starts only once every thread of the previous one has begun to run; the tasks in between wait here, in arrival
 * order.
 *
 * <p>Why: the virtual-thread scheduler queues a thread in a queue of the thread that starts or wakes it, and a
 * carrier keeps taking work from the queue it is on for as long as that queue has any. The connector's poller
 * starts every request, and under a flash crowd its queue never runs dry, so a thread queued anywhere else can wait
 * past any client's timeout while newer requests are answered: a request whose answer the issuance engine's thread
 * has completed, or one the JVM's unblocker thread hands a contended monitor to (Tomcat takes some on every
 * request, such as its filter maps', and one for every processor it adds), which then holds up every request behind
 * it on that monitor. Started in turns, the queue of new requests runs dry after every turn, and the carriers turn to the
 * threads queued elsewhere. {@code RequestStartsInTurnsFloodTest} holds it to that.
 */
final class RequestStartsInTurns implements Executor, AutoCloseable {

    /**
     * Threads started per turn: enough that the carriers do not run out of new requests while the starter wakes for
     * the next turn, few enough that a turn is over long before anything queued elsewhere would be noticed waiting.
     */
    static final int TURN = 64;

    private static final Logger log = LoggerFactory.getLogger(RequestStartsInTurns.class);

    private final Executor threads;
    private final int turn;
    // bounded by the connector's connections (server.tomcat.max-connections): each has one task at a time at most
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger notYetRunning = new AtomicInteger();
    private final Thread starter;
    private volatile boolean closed;

    /**
     * @param threads starts a virtual thread for each task
     * @param turn    threads started per turn
     */
    RequestStartsInTurns(Executor threads, int turn) {
        this.threads = threads;
        this.turn = turn;
        this.starter = new Thread(this::startInTurns, "request-starts-in-turns");
        starter.setDaemon(true);
        starter.start();
    }

    @Override
    public void execute(Runnable task) {
        waiting.add(task);
        if (closed) {
            startEveryoneWaiting();
        } else {
            LockSupport.unpark(starter);
        }
    }

    /** Stops taking turns: what waits now, and whatever comes later, starts at once. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(starter);
    }

    /** Threads started and not yet running (tests). */
    int notYetRunning() {
        return notYetRunning.get();
    }

    private void startInTurns() {
        while (!closed) {
            if (notYetRunning.get() > 0 || waiting.isEmpty()) {
                LockSupport.park(this);
                continue;
            }
            for (int started = 0; started < turn; started++) {
                Runnable task = waiting.poll();
                if (task == null) {
                    break;
                }
                notYetRunning.incrementAndGet();
                start(() -> {
                    running();
                    task.run();
                });
            }
        }
        startEveryoneWaiting();
    }

    private void running() {
        if (notYetRunning.decrementAndGet() == 0) {
            LockSupport.unpark(starter);
        }
    }

    private void startEveryoneWaiting() {
        for (Runnable task = waiting.poll(); task != null; task = waiting.poll()) {
            start(task);
        }
    }

    /**
     * A task whose thread cannot be started is run on the caller's thread: a connector task that never runs leaves its
     * connection unanswered, and the starter must outlive any one failure.
     */
    private void start(Runnable task) {
        try {
            threads.execute(task);
        } catch (RuntimeException | Error notStarted) {
            log.error("could not start a thread for a request; running it on {}", Thread.currentThread().getName(),
                    notStarted);
            task.run();
        }
    }
}
