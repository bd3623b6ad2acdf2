package com.couponrush.live;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open server-sent-event connections. Each one holds no thread (servlet async), and a browser
 * reconnects by itself when the timeout closes it.
 */
@Component
class LiveStreams implements SmartLifecycle {

    static final Duration CONNECTION_LIFETIME = Duration.ofMinutes(30);

    private final List<SseEmitter> publicListeners = new CopyOnWriteArrayList<>();
    private final List<SseEmitter> consoleListeners = new CopyOnWriteArrayList<>();
    private volatile boolean running;

    SseEmitter subscribePublic() {
        return subscribe(publicListeners);
    }

    SseEmitter subscribeConsole() {
        return subscribe(consoleListeners);
    }

    boolean hasListeners() {
        return !publicListeners.isEmpty() || !consoleListeners.isEmpty();
    }

    boolean hasPublicListeners() {
        return !publicListeners.isEmpty();
    }

    boolean hasConsoleListeners() {
        return !consoleListeners.isEmpty();
    }

    void publishPublic(String json) {
        broadcast(publicListeners, json);
    }

    void publishConsole(String json) {
        broadcast(consoleListeners, json);
    }

    /** Sends to one new listener at once, so a page is filled without waiting for the next tick. */
    void sendTo(SseEmitter emitter, String json) {
        try {
            emitter.send(SseEmitter.event().name("snapshot").data(json, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException gone) {
            emitter.completeWithError(gone);
        }
    }

    private SseEmitter subscribe(List<SseEmitter> listeners) {
        SseEmitter emitter = new SseEmitter(CONNECTION_LIFETIME.toMillis());
        emitter.onCompletion(() -> listeners.remove(emitter));
        emitter.onTimeout(() -> listeners.remove(emitter));
        emitter.onError(error -> listeners.remove(emitter));
        listeners.add(emitter);
        return emitter;
    }

    private void broadcast(List<SseEmitter> listeners, String json) {
        for (SseEmitter emitter : listeners) {
            try {
                emitter.send(SseEmitter.event().name("snapshot").data(json, MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException gone) {
                listeners.remove(emitter);
                emitter.completeWithError(gone);
            }
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Runs before the web server's graceful shutdown: an open stream is a request that never ends,
     * so without this every shutdown would wait out the whole grace period.
     */
    @Override
    public void stop() {
        running = false;
        for (List<SseEmitter> listeners : List.of(publicListeners, consoleListeners)) {
            listeners.forEach(SseEmitter::complete);
            listeners.clear();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
