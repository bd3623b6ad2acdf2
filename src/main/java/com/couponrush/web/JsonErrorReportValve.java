package com.couponrush.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;

/**
 * Tomcat's own error page, in the project's envelope. Tomcat refuses some requests before any servlet (and so
 * before Spring's /error) sees them: a {@code %00} or an undecodable path, an invalid character, a header too
 * large. It then asks the host's error report valve for a body, which by default is an HTML page.
 */
class JsonErrorReportValve extends ErrorReportValve {

    // looked up when the first error happens: the web server is built before the application's beans
    private final ObjectProvider<ErrorResponses> errors;

    JsonErrorReportValve(ObjectProvider<ErrorResponses> errors) {
        this.errors = errors;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // the same guards as Tomcat's page: only errors, only when nothing was written and nobody answered yet
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            String json = errors.getObject().json(request, HttpStatusCode.valueOf(status), throwable);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(json);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            container.getLogger().debug("Could not write the error envelope", e);
        }
    }
}
