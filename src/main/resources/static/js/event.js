// The event page: live coupon list, one-click claiming with an idempotency key, the waiting line, and My coupons.
'use strict';

const OUTCOME_BY_REASON = {
  COUPON_SOLD_OUT: 'soldOut',
  PER_USER_LIMIT_REACHED: 'limit',
  COUPON_NOT_STARTED: 'notOpen',
  COUPON_ENDED: 'ended',
};
// Refusals that say nothing about the coupon: the same click intent may be retried with the same key.
const RETRYABLE_REASONS = new Set(['LOCK_NOT_ACQUIRED', 'DATA_CONFLICT', 'SERVICE_OVERLOADED', 'STORAGE_UNAVAILABLE']);
// A line gives places while the sale is open, paused or not yet started; the places wait for it to open.
const LINE_STATUSES = new Set(['OPEN', 'PAUSED', 'UPCOMING']);

function eventPage() {
  return {
    ...sessionComponent(),
    coupons: [],
    mine: [],
    mineMessage: '',
    now: Date.now(),
    streamState: 'reconnecting',

    async init() {
      document.documentElement.lang = this.lang;
      setInterval(() => { this.now = Date.now(); }, 200);
      await Promise.all([this.loadMe(), this.loadCoupons()]);
      await Promise.all([this.loadMine(), this.loadPlaces()]);
      this.followCounts();
    },

    afterSignIn() {
      this.loadMine();
      this.loadPlaces();
    },

    async loadCoupons() {
      const result = await this.call('GET', '/api/v1/coupons');
      if (!result.ok) return;
      const known = new Map(this.coupons.map((c) => [c.couponId, c]));
      this.coupons = result.data
        .filter((c) => c.status !== 'ENDED')
        .map((c) => known.get(c.couponId) ?? { ...c, busy: false, intentKey: null, outcome: null, retryAt: 0,
          opensAt: c.status === 'UPCOMING' ? Infinity : 0, closesAt: Infinity,
          line: null, lineBusy: false, lineStream: null });
    },

    /** The public stream needs no token, so the browser's own EventSource (with its reconnects) reads it. */
    followCounts() {
      const source = new EventSource('/api/v1/live/coupons');
      source.addEventListener('open', () => { this.streamState = 'live'; });
      source.addEventListener('error', () => { this.streamState = 'reconnecting'; });
      source.addEventListener('snapshot', (event) => this.applySnapshot(JSON.parse(event.data)));
    },

    applySnapshot(snapshot) {
      const receivedAt = Date.now();
      const byId = new Map(this.coupons.map((c) => [c.couponId, c]));
      let unknown = false;
      for (const live of snapshot.coupons) {
        const coupon = byId.get(live.couponId);
        if (!coupon) {
          unknown = true;
          continue;
        }
        coupon.issuedCount = live.issuedCount;
        coupon.remaining = live.remaining;
        coupon.status = live.status;
        // Measured on the server's clock: the countdown stays right whatever the browser's clock says.
        coupon.opensAt = receivedAt + live.opensInMillis;
        coupon.closesAt = receivedAt + live.closesInMillis;
      }
      if (unknown) this.loadCoupons();
    },

    statusOf(coupon) {
      if (coupon.status === 'PAUSED') return 'PAUSED';
      if (coupon.remaining <= 0) return 'SOLD_OUT';
      if (this.now < coupon.opensAt) return 'UPCOMING';
      if (this.now >= coupon.closesAt) return 'ENDED';
      return 'OPEN';
    },

    canClaim(coupon) {
      return this.statusOf(coupon) === 'OPEN' && !coupon.busy && this.now >= coupon.retryAt;
    },

    claimLabel(coupon) {
      if (coupon.busy) return this.t('coupons.getting');
      if (this.now < coupon.retryAt) {
        return this.t('coupons.retryIn', { seconds: Math.ceil((coupon.retryAt - this.now) / 1000) });
      }
      const status = this.statusOf(coupon);
      return status === 'OPEN' ? this.t('coupons.get') : this.t(`status.${status}`);
    },

    async claim(coupon, click) {
      // The second click of a double click (detail 2) is the same intent, even when the first one's answer came
      // back in between: a coupon without a per-user limit would otherwise be issued twice.
      if (click?.detail > 1) return;
      if (!this.canClaim(coupon)) return;
      if (!this.me) {
        coupon.outcome = { kind: 'error', key: 'outcome.signIn' };
        document.getElementById('auth-email')?.focus();
        return;
      }
      coupon.busy = true;
      coupon.intentKey ??= newIdempotencyKey();
      const result = await this.call('POST', '/api/v1/user-coupon', {
        body: { couponId: coupon.couponId },
        headers: { 'Idempotency-Key': coupon.intentKey },
      });
      coupon.busy = false;
      // The engine's line for this coupon was full, so it gave a place in the waiting line (202): follow it.
      if (result.status === 202) {
        coupon.intentKey = null;
        this.showPlace(coupon, result.data);
        return;
      }
      // Withdrawn at its deadline: a place in the line is the better answer than "retry in a second".
      if (result.status === 503 && result.error?.reason === 'SERVICE_OVERLOADED') {
        coupon.intentKey = null;
        await this.joinLine(coupon);
        return;
      }
      coupon.outcome = this.outcomeOf(coupon, result);
      if (coupon.outcome.kind !== 'retry') coupon.intentKey = null;
      if (result.ok) await this.loadMine();
    },

    outcomeOf(coupon, result) {
      if (result.ok) return { kind: 'success', key: 'outcome.issued' };
      const reason = result.error?.reason;
      if (result.status === 401) {
        this.signOut();
        return { kind: 'error', key: 'outcome.signIn' };
      }
      if (reason === 'NETWORK') return { kind: 'retry', key: 'outcome.network' };
      if (result.status === 503 || RETRYABLE_REASONS.has(reason)) {
        coupon.retryAt = Date.now() + result.retryAfter * 1000;
        return { kind: 'retry', key: 'outcome.busy', params: { seconds: result.retryAfter } };
      }
      if (reason === 'COUPON_SOLD_OUT') coupon.remaining = 0;
      const known = OUTCOME_BY_REASON[reason];
      // Outcomes the page knows are worded by the page; anything else shows the server's own message.
      return known ? { kind: known === 'limit' ? 'info' : 'error', key: `outcome.${known}` }
        : { kind: 'error', text: result.error?.message };
    },

    canJoinLine(coupon) {
      return LINE_STATUSES.has(this.statusOf(coupon)) && !coupon.lineBusy && coupon.lineStream === null;
    },

    async joinLine(coupon) {
      if (!this.me) {
        coupon.outcome = { kind: 'error', key: 'outcome.signIn' };
        document.getElementById('auth-email')?.focus();
        return;
      }
      coupon.lineBusy = true;
      const result = await this.call('POST', `/api/v1/coupons/${coupon.couponId}/line`);
      coupon.lineBusy = false;
      if (!result.ok) {
        coupon.outcome = this.outcomeOf(coupon, result);
        return;
      }
      this.showPlace(coupon, result.data);
    },

    /**
     * A place taken before this page was opened (before a reload, in another tab) is found again, as after joining:
     * followed while it waits, else its outcome said. No place is a 404, and nothing to show.
     */
    async loadPlaces() {
      if (!this.me) return;
      await Promise.all(this.coupons.map(async (coupon) => {
        if (coupon.line) return;
        const result = await this.call('GET', `/api/v1/coupons/${coupon.couponId}/line/me`);
        // a join answered meanwhile already shows its place
        if (result.ok && !coupon.line) this.showPlace(coupon, result.data);
      }));
    },

    /** A place given or found: while it waits, its stream is followed; once decided, applyPlace says the outcome. */
    showPlace(coupon, place) {
      this.applyPlace(coupon, place);
      if (place.status !== 'WAITING') return;
      coupon.outcome = { kind: 'info', key: 'outcome.queued' };
      this.followPlace(coupon);
    },

    /** The stream of one's own place carries the token, so it is read with fetch() as the console's stream is. */
    followPlace(coupon) {
      // one stream per place: the server bounds a user's open streams
      if (coupon.lineStream !== null) return;
      const stream = new AbortController();
      coupon.lineStream = stream;
      followSnapshots(`/api/v1/coupons/${coupon.couponId}/line/me/stream`, {
        signal: stream.signal,
        onSnapshot: (place) => this.applyPlace(coupon, place),
        onState: (state) => { if (state === 'denied') this.stopFollowing(coupon); },
      });
    },

    stopFollowing(coupon) {
      coupon.lineStream?.abort();
      coupon.lineStream = null;
    },

    async applyPlace(coupon, place) {
      coupon.line = place;
      if (place.status === 'WAITING') return;
      this.stopFollowing(coupon);
      coupon.outcome = place.status === 'ISSUED' ? { kind: 'success', key: 'outcome.issued' }
        : this.outcomeOf(coupon, { ok: false, status: 409, error: { reason: place.reason, message: place.reason } });
      if (place.status === 'ISSUED') await this.loadMine();
    },

    lineWaitText(coupon) {
      const seconds = coupon.line?.estimatedWaitSeconds;
      return seconds === null || seconds === undefined ? this.t('line.etaUnknown')
        : this.t('line.eta', { time: formatDuration(seconds * 1000) });
    },

    /** Translated when shown, so that switching the language also switches the last outcome. */
    outcomeText(coupon) {
      const outcome = coupon.outcome;
      if (!outcome) return '';
      return outcome.key ? this.t(outcome.key, outcome.params) : outcome.text;
    },

    async loadMine() {
      if (!this.me) {
        this.mine = [];
        return;
      }
      const result = await this.call('GET', '/api/v1/user-coupon');
      if (result.ok) this.mine = result.data;
    },

    async use(held) {
      const result = await this.call('POST', `/api/v1/user-coupon/${held.id}/use`);
      this.mineMessage = result.ok ? this.t('mine.used') : result.error?.message;
      await this.loadMine();
    },

    afterSignOut() {
      this.mine = [];
      this.mineMessage = '';
      for (const coupon of this.coupons) {
        this.stopFollowing(coupon);
        coupon.outcome = null;
        coupon.line = null;
      }
    },
  };
}
