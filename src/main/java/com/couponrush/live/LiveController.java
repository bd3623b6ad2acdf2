package com.couponrush.live;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events, one {@code snapshot} event a second. The console stream is ADMIN-only (SecurityConfig)
 * and, like every other API call, takes the token in the Authorization header: the console reads it with
 * fetch() instead of EventSource, so the token never appears in a URL, a server log or the browser history.
 */
@Tag(name = "Live")
@RestController
@RequestMapping(path = "/api/v1/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
class LiveController {

    private final LiveSampler sampler;
    private final LiveStreams streams;

    LiveController(LiveSampler sampler, LiveStreams streams) {
        this.sampler = sampler;
        this.streams = streams;
    }

    @Operation(summary = "Public stream: remaining count and opening countdown of every coupon not ended")
    @GetMapping("/coupons")
    SseEmitter coupons() {
        SseEmitter emitter = streams.subscribePublic();
        streams.sendTo(emitter, sampler.publicSnapshotJson());
        return emitter;
    }

    @Operation(summary = "Operator stream (ADMIN): per-second issuance, rejections by reason, sell-out time")
    @GetMapping("/console")
    SseEmitter console() {
        SseEmitter emitter = streams.subscribeConsole();
        streams.sendTo(emitter, sampler.consoleSnapshotJson());
        return emitter;
    }
}
