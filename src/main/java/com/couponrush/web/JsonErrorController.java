package com.couponrush.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside MVC (a filter, a rejected URL, {@code sendError}) end up on /error; answering them here
 * keeps even those in the project's envelope instead of Boot's default body. What Tomcat refuses before any
 * servlet runs never reaches /error: {@link JsonErrorReportValve} answers that.
 */
@RestController
public class JsonErrorController implements ErrorController {

    private final ErrorResponses errors;

    public JsonErrorController(ErrorResponses errors) {
        this.errors = errors;
    }

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<Object> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // no forwarded status: a client asked for /error itself, which is no page of the API
        HttpStatusCode httpStatus = status == null ? HttpStatus.NOT_FOUND
                : status instanceof Integer code && code >= 400 ? HttpStatusCode.valueOf(code)
                : HttpStatus.INTERNAL_SERVER_ERROR;
        Throwable failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable thrown
                ? thrown : null;
        return ResponseEntity.status(httpStatus).contentType(MediaType.APPLICATION_JSON)
                .body(errors.body(httpStatus, failure));
    }
}
