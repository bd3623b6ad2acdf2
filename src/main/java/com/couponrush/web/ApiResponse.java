package com.couponrush.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.http.HttpStatus;

/**
 * The seed's success envelope: {@code {code, status, message, data}}. A paginated list keeps {@code data} the
 * plain array the seed's clients read and puts its page beside it.
 */
public record ApiResponse<T>(int code, String status, String message, T data,
                             @JsonInclude(JsonInclude.Include.NON_NULL) PageMetadata page) {

    public static <T> ApiResponse<T> ok(T data) {
        return new ApiResponse<>(HttpStatus.OK.value(), HttpStatus.OK.name(), "OK", data, null);
    }

    /** 202: taken in, not decided yet (a place in a waiting line). */
    public static <T> ApiResponse<T> accepted(T data) {
        return new ApiResponse<>(HttpStatus.ACCEPTED.value(), HttpStatus.ACCEPTED.name(), "Accepted", data, null);
    }

    public static ApiResponse<Void> ok() {
        return ok(null);
    }

    public static <T> ApiResponse<List<T>> page(Page<T> page) {
        return new ApiResponse<>(HttpStatus.OK.value(), HttpStatus.OK.name(), "OK", page.getContent(),
                new PageMetadata(page.getNumber(), page.getSize(), page.getTotalElements(), page.getTotalPages()));
    }

    /** Spring Data's numbering: {@code number} counts from 0, as the {@code page} request parameter does. */
    public record PageMetadata(int number, int size, long totalElements, int totalPages) {
    }
}
