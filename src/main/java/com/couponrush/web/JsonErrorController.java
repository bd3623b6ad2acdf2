package com.couponrush.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside MVC (the servlet container, a filter, a rejected URL) end up on /error;
 * answering them here keeps even those in the project's envelope instead of Boot's default body.
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
        HttpStatus httpStatus = status instanceof Integer code ? HttpStatus.resolve(code) : null;
        ErrorCode code = ErrorResponses.forStatus(httpStatus != null ? httpStatus : HttpStatus.INTERNAL_SERVER_ERROR);
        return ResponseEntity.status(httpStatus != null ? httpStatus : code.status())
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(errors.body(code));
    }
}
