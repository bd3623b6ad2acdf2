// The operator console: create coupons, list them all, and watch one live from the ADMIN stream.
'use strict';

function localDateTime(date) {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return shifted.toISOString().slice(0, 19);
}

function blankCouponForm() {
  const now = new Date();
  return {
    name: '', description: '', discountAmount: 1000, quantity: 100, perUserLimit: 1,
    startDate: localDateTime(now), endDate: localDateTime(new Date(now.getTime() + 24 * 3600 * 1000)),
  };
}

const WINNERS_PAGE_SIZE = 20;

/** A datetime-local input holds whole seconds at most; the server may keep microseconds. */
function toInput(serverDateTime) {
  return serverDateTime ? serverDateTime.slice(0, 19) : '';
}

/** An untouched date goes back exactly as the server had it, so it does not count as moved. */
function unlessUnchanged(input, serverDateTime) {
  return input === toInput(serverDateTime) ? serverDateTime : input;
}

function consolePage() {
  let chart = null;
  let stream = null;

  return {
    ...sessionComponent(),
    form: blankCouponForm(),
    formErrors: {},
    formMessage: '',
    formOk: false,
    creating: false,
    coupons: [],
    watchedId: null,
    streamState: 'reconnecting',
    denied: false,
    selected: null,
    controlForm: {},
    pending: null,
    controlBusy: false,
    controlMessage: '',
    controlOk: false,
    changes: [],
    winners: [],
    winnersPage: { number: 0, size: WINNERS_PAGE_SIZE, totalPages: 0, totalElements: 0 },

    async init() {
      document.documentElement.lang = this.lang;
      await this.loadMe();
      this.connect();
      window.addEventListener('resize', () => this.resizeChart());
    },

    get isAdmin() {
      return this.me?.role === 'ADMIN';
    },

    get watched() {
      return this.coupons.find((c) => c.couponId === this.watchedId) ?? null;
    },

    connect() {
      stream?.abort();
      this.denied = false;
      if (!this.isAdmin) return;
      stream = new AbortController();
      followSnapshots('/api/v1/live/console', {
        signal: stream.signal,
        onState: (state) => {
          this.streamState = state === 'denied' ? 'reconnecting' : state;
          this.denied = state === 'denied';
        },
        onSnapshot: (snapshot) => this.applySnapshot(snapshot),
      });
    },

    disconnect() {
      stream?.abort();
      stream = null;
      this.coupons = [];
      this.watchedId = null;
      this.selected = null;
      chart?.destroy();
      chart = null;
    },

    applySnapshot(snapshot) {
      this.coupons = snapshot.coupons;
      if (this.watchedId === null) {
        this.watchedId = snapshot.coupons.find((c) => c.issuedPerSecond.length > 0)?.couponId ?? null;
      }
      if (this.watchedId !== null && this.selected?.couponId !== this.watchedId) {
        this.loadOperatorView();
      } else if (this.watched && this.watched.issuedCount !== this.winnersPage.totalElements) {
        this.loadWinners(this.winnersPage.number); // new winners since the list was read
      }
      this.$nextTick(() => this.drawChart());
    },

    watch(coupon) {
      this.watchedId = coupon.couponId;
      this.controlMessage = '';
      this.pending = null;
      this.loadOperatorView();
      chart?.destroy();
      chart = null;
      this.$nextTick(() => {
        this.drawChart();
        document.getElementById('live-view')?.focus();
      });
    },

    chartData(coupon) {
      const count = coupon.issuedPerSecond.length;
      const times = Array.from({ length: count }, (_, i) => coupon.sampledAt - (count - 1 - i));
      return [times, coupon.issuedPerSecond, coupon.rejectedPerSecond];
    },

    drawChart() {
      const coupon = this.watched;
      const host = document.getElementById('chart');
      if (!coupon || !host) return;
      if (chart && chart.couponId === coupon.couponId && chart.root.isConnected) {
        chart.setData(this.chartData(coupon));
        return;
      }
      chart?.destroy();
      chart = new uPlot({
        width: Math.max(280, host.clientWidth),
        height: 220,
        series: [
          {},
          { label: this.t('console.issuedSeries'), stroke: '#0a7d4f', fill: 'rgba(10,125,79,0.12)', width: 2 },
          { label: this.t('console.rejectedSeries'), stroke: '#c0392b', width: 1.5 },
        ],
        axes: [{}, { label: '/s' }],
        scales: { y: { range: (u, min, max) => [0, Math.max(5, max)] } },
      }, this.chartData(coupon), host);
      chart.couponId = coupon.couponId;
    },

    resizeChart() {
      const host = document.getElementById('chart');
      if (chart && host) chart.setSize({ width: Math.max(280, host.clientWidth), height: 220 });
    },

    async createCoupon() {
      if (this.creating) return;
      this.creating = true;
      this.formErrors = {};
      this.formMessage = '';
      const body = { ...this.form };
      for (const number of ['discountAmount', 'quantity', 'perUserLimit']) {
        // An empty box is sent as absent, so the API names the missing field instead of a type error.
        body[number] = body[number] === '' || body[number] === null ? null : Number(body[number]);
      }
      const result = await this.call('POST', '/api/v1/coupons', { body });
      this.creating = false;
      this.formOk = result.ok;
      if (result.ok) {
        this.formMessage = this.t('console.created', { id: result.data.couponId });
        this.watchedId = result.data.couponId;
        chart?.destroy();
        chart = null;
        this.form = blankCouponForm();
        return;
      }
      this.formErrors = fieldErrorsOf(result);
      // The window rule is a class-level check; show it beside the end date where it belongs.
      if (this.formErrors.endDateAfterStartDate) this.formErrors.endDate = this.formErrors.endDateAfterStartDate;
      this.formMessage = result.error?.message ?? this.t('outcome.network');
    },

    /** The watched coupon as the API has it (pause flag, window, details), its history and its winners. */
    async loadOperatorView() {
      const couponId = this.watchedId;
      const result = await this.call('GET', `/api/v1/coupons/${couponId}`);
      if (!result.ok || couponId !== this.watchedId) return;
      this.selected = result.data;
      this.controlForm = {
        quantity: result.data.quantity, startDate: toInput(result.data.startDate), endDate: toInput(result.data.endDate),
        name: result.data.name, description: result.data.description ?? '', discountAmount: result.data.discountAmount,
      };
      await Promise.all([this.loadChanges(), this.loadWinners(0)]);
    },

    async loadChanges() {
      const result = await this.call('GET', `/api/v1/coupons/${this.watchedId}/changes`);
      if (result.ok) this.changes = result.data;
    },

    async loadWinners(page) {
      const result = await this.call('GET',
        `/api/v1/coupons/${this.watchedId}/issuances?page=${page}&size=${WINNERS_PAGE_SIZE}`);
      if (!result.ok) return;
      this.winners = result.data;
      this.winnersPage = result.page;
    },

    /** Every control asks first, in the page, naming the coupon: a mis-click must not stop a live event. */
    ask(action) {
      this.controlMessage = '';
      this.pending = action;
    },

    async confirmControl() {
      const action = this.pending;
      if (!action || this.controlBusy) return;
      this.controlBusy = true;
      const form = this.controlForm;
      const number = (value) => (value === '' || value === null ? null : Number(value));
      const [method, body] = {
        pause: ['POST'], resume: ['POST'], close: ['POST'],
        quantity: ['PUT', { quantity: number(form.quantity) }],
        window: ['PUT', { startDate: unlessUnchanged(form.startDate, this.selected.startDate),
          endDate: unlessUnchanged(form.endDate, this.selected.endDate) }],
        details: ['PUT', { name: form.name, description: form.description || null, discountAmount: number(form.discountAmount) }],
      }[action];
      const result = await this.call(method, `/api/v1/coupons/${this.watchedId}/${action}`, { body });
      this.controlBusy = false;
      this.pending = null;
      this.controlOk = result.ok;
      if (result.ok) {
        this.controlMessage = this.t('console.done.' + action);
        await this.loadOperatorView();
        return;
      }
      const fields = Object.values(fieldErrorsOf(result));
      this.controlMessage = [result.error?.message ?? this.t('outcome.network'), ...fields].join(' ');
    },

    /** A plain link cannot carry the bearer token, so the CSV is fetched and handed over as a file. */
    async downloadCsv() {
      const response = await fetch(`/api/v1/coupons/${this.watchedId}/issuances.csv`,
        { headers: { Authorization: session.token() } });
      if (!response.ok) return;
      const link = document.createElement('a');
      link.href = URL.createObjectURL(await response.blob());
      link.download = `coupon-${this.watchedId}-issuances.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
    },

    windowOf(coupon) {
      return `${formatServerDateTime(coupon.startDate)} – ${formatServerDateTime(coupon.endDate)}`;
    },

    rate(coupon) {
      return coupon.ratePerSecond == null ? '–' : this.t('units.perSecond', { value: coupon.ratePerSecond.toFixed(1) });
    },

    seconds(value) {
      return value == null ? '–' : this.t('units.seconds', { value });
    },

    rejections(coupon) {
      return Object.entries(coupon.rejectionsByReason).sort((a, b) => b[1] - a[1]);
    },
  };
}
