package com.couponrush.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder between the service and a database that a test can cut (refuse new
 * connections and drop every open one, like a crashed or unplugged server) and restore on the same port,
 * or freeze (keep every socket open but forward nothing, like a hung server or a silent network) and thaw.
 */
public final class TcpProxy implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private boolean frozen;

    private TcpProxy(int targetPort, int port) {
        this.targetPort = targetPort;
        this.port = port;
    }

    public static TcpProxy forward(int targetPort) {
        TcpProxy proxy = new TcpProxy(targetPort, TestServices.freePort());
        proxy.restore();
        return proxy;
    }

    public int port() {
        return port;
    }

    public synchronized void cut() {
        closeQuietly(listener);
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    /**
     * Stops forwarding in both directions and stops answering new connections, but closes nothing: reads on
     * either side block, as on a link where packets vanish. What was in flight is delivered after {@link #thaw}.
     */
    public void freeze() {
        synchronized (open) {
            frozen = true;
        }
    }

    public void thaw() {
        synchronized (open) {
            frozen = false;
            open.notifyAll();
        }
    }

    private void awaitThaw() throws InterruptedException {
        synchronized (open) {
            while (frozen) {
                open.wait();
            }
        }
    }

    public synchronized void restore() {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            listener = server;
            start("proxy-accept-" + port, () -> accept(server));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + port, e);
        }
    }

    @Override
    public void close() {
        thaw();
        cut();
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                awaitThaw();
                Socket upstream = new Socket(HOST, targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                start("proxy-up-" + port, () -> pump(client, upstream));
                start("proxy-down-" + port, () -> pump(upstream, client));
            } catch (IOException closedOrRefused) {
                // the listener was cut, or the database refused: the client sees its connection drop
            } catch (InterruptedException stopped) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                awaitThaw();
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException dropped) {
            // one side went away: drop the other too
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception ignored) {
            // already gone
        }
    }
}
