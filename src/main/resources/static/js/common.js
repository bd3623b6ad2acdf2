// Shared by the event page and the console: session token, language, API calls and the live stream.
'use strict';

const TOKEN_KEY = 'couponRush.token';
const LANG_KEY = 'couponRush.lang';

const MESSAGES = {
  ko: {
    'app.title': '쿠폰 러시',
    'lang.switch': 'English',
    'skip': '쿠폰으로 건너뛰기',
    'auth.signIn': '로그인',
    'auth.signUp': '회원가입',
    'auth.signOut': '로그아웃',
    'auth.email': '이메일',
    'auth.password': '비밀번호',
    'auth.passwordHint': '8자 이상, 대문자·소문자·숫자·특수문자(!@#$%^&*) 포함',
    'auth.nickname': '닉네임',
    'auth.address': '주소 (선택)',
    'auth.signedInAs': '{email} 님',
    'auth.haveAccount': '이미 계정이 있으신가요?',
    'auth.noAccount': '처음이신가요?',
    'coupons.title': '진행 중인 쿠폰',
    'coupons.none': '지금 받을 수 있는 쿠폰이 없습니다.',
    'coupons.discount': '{amount}원 할인',
    'coupons.remaining': '남은 수량 {remaining} / {quantity}',
    'coupons.opensIn': '오픈까지 {time}',
    'coupons.get': '쿠폰 받기',
    'coupons.getting': '요청 중…',
    'coupons.retryIn': '{seconds}초 후 재시도',
    'status.UPCOMING': '오픈 예정',
    'status.OPEN': '발급 중',
    'status.PAUSED': '일시 중지',
    'status.SOLD_OUT': '매진',
    'status.ENDED': '종료',
    'outcome.issued': '쿠폰이 발급되었습니다! 내 쿠폰에서 확인하세요.',
    'outcome.soldOut': '아쉽지만 매진되었습니다.',
    'outcome.limit': '이미 받은 쿠폰입니다.',
    'outcome.notOpen': '아직 발급 시간이 아닙니다.',
    'outcome.ended': '발급 기간이 끝났습니다.',
    'outcome.busy': '요청이 몰리고 있습니다. {seconds}초 후 다시 시도해 주세요.',
    'outcome.signIn': '먼저 로그인해 주세요.',
    'outcome.network': '서버에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.',
    'line.join': '줄 서서 받기',
    'line.joining': '자리 잡는 중…',
    'line.title': '대기열',
    'line.place': '대기번호 {place}번',
    'line.position': '내 순서: {position}번째',
    'line.eta': '예상 대기 약 {time}',
    'line.etaUnknown': '예상 대기 시간을 재는 중입니다 (발급이 멈춰 있거나 시작 전이면 재개될 때까지 기다립니다).',
    'outcome.queued': '대기열에 들어갔습니다. 차례가 되면 바로 결과를 알려 드립니다.',
    'mine.title': '내 쿠폰',
    'mine.none': '아직 받은 쿠폰이 없습니다.',
    'mine.use': '사용하기',
    'mine.used': '사용했습니다.',
    'mine.status.ISSUED': '사용 가능',
    'mine.status.USED': '사용 완료',
    'live.live': '실시간',
    'live.reconnecting': '다시 연결 중…',
    'console.title': '운영 콘솔',
    'console.adminOnly': '관리자만 사용할 수 있습니다. 관리자 계정으로 로그인해 주세요.',
    'console.create': '쿠폰 만들기',
    'console.name': '이름',
    'console.description': '설명',
    'console.discountAmount': '할인 금액 (원)',
    'console.quantity': '수량',
    'console.perUserLimit': '1인당 한도 (0 = 무제한)',
    'console.startDate': '발급 시작',
    'console.endDate': '발급 종료',
    'console.created': '쿠폰 #{id}을(를) 만들었습니다.',
    'console.coupons': '모든 쿠폰',
    'console.col.id': 'ID',
    'console.col.name': '이름',
    'console.col.status': '상태',
    'console.col.issued': '발급 / 수량',
    'console.col.remaining': '남은 수량',
    'console.col.window': '발급 기간',
    'console.col.rate': '초당 발급',
    'console.watch': '보기',
    'console.liveView': '실시간 현황: {name}',
    'console.chart': '최근 5분 초당 발급/거절',
    'console.issuedSeries': '발급/초',
    'console.rejectedSeries': '거절/초',
    'console.issued': '발급 (DB)',
    'console.rate': '최근 10초 평균',
    'console.soldOutIn': '매진까지 걸린 시간',
    'console.eta': '예상 매진까지',
    'console.rejections': '거절 사유',
    'console.noRejections': '거절 없음',
    'console.reason': '사유',
    'console.count': '건수',
    'console.pickCoupon': '목록에서 쿠폰을 골라 실시간 현황을 보세요.',
    'console.eventPage': '이벤트 페이지',
    'console.controls': '운영 제어',
    'console.action.pause': '일시 중지',
    'console.action.resume': '재개',
    'console.action.close': '지금 종료',
    'console.action.quantity': '수량 변경',
    'console.action.window': '기간 변경',
    'console.action.details': '내용 수정',
    'console.confirm.pause': '"{name}" 발급을 일시 중지할까요? 재개할 때까지 모든 요청이 거절됩니다.',
    'console.confirm.resume': '"{name}" 발급을 재개할까요?',
    'console.confirm.close': '"{name}" 발급을 지금 종료할까요? 되돌릴 수 없습니다.',
    'console.confirm.quantity': '"{name}"의 수량을 바꿀까요?',
    'console.confirm.window': '"{name}"의 발급 기간을 바꿀까요?',
    'console.confirm.details': '"{name}"의 이름·설명·할인 금액을 고칠까요?',
    'console.confirm.yes': '확인',
    'console.confirm.no': '취소',
    'console.done.pause': '일시 중지했습니다.',
    'console.done.resume': '재개했습니다.',
    'console.done.close': '종료했습니다.',
    'console.done.quantity': '수량을 바꿨습니다.',
    'console.done.window': '기간을 바꿨습니다.',
    'console.done.details': '내용을 고쳤습니다.',
    'console.history': '변경 이력',
    'console.noChanges': '변경 이력이 없습니다.',
    'console.col.when': '시각',
    'console.col.who': '변경자',
    'console.col.action': '변경',
    'console.col.change': '이전 → 이후',
    'console.winners': '당첨자 (발급 순)',
    'console.noWinners': '아직 발급된 쿠폰이 없습니다.',
    'console.csv': 'CSV 내려받기',
    'console.col.order': '순번',
    'console.col.issuedAt': '발급 시각',
    'console.prev': '이전',
    'console.next': '다음',
    'console.pageOf': '{page} / {pages} 쪽',
    'console.toConsole': '운영 콘솔',
    'units.perSecond': '{value}/초',
    'units.seconds': '{value}초',
  },
  en: {
    'app.title': 'Coupon Rush',
    'lang.switch': '한국어',
    'skip': 'Skip to coupons',
    'auth.signIn': 'Sign in',
    'auth.signUp': 'Sign up',
    'auth.signOut': 'Sign out',
    'auth.email': 'Email',
    'auth.password': 'Password',
    'auth.passwordHint': '8+ characters with upper and lower case, a digit and one of !@#$%^&*',
    'auth.nickname': 'Nickname',
    'auth.address': 'Address (optional)',
    'auth.signedInAs': 'Signed in as {email}',
    'auth.haveAccount': 'Already have an account?',
    'auth.noAccount': 'New here?',
    'coupons.title': 'Coupons',
    'coupons.none': 'No coupons to claim right now.',
    'coupons.discount': '{amount} KRW off',
    'coupons.remaining': '{remaining} of {quantity} left',
    'coupons.opensIn': 'Opens in {time}',
    'coupons.get': 'Get coupon',
    'coupons.getting': 'Requesting…',
    'coupons.retryIn': 'Retry in {seconds} s',
    'status.UPCOMING': 'Upcoming',
    'status.OPEN': 'Open',
    'status.PAUSED': 'Paused',
    'status.SOLD_OUT': 'Sold out',
    'status.ENDED': 'Ended',
    'outcome.issued': 'Coupon issued! See My coupons.',
    'outcome.soldOut': 'Sorry, this coupon is sold out.',
    'outcome.limit': 'You already have this coupon.',
    'outcome.notOpen': 'This coupon is not open yet.',
    'outcome.ended': 'This coupon event has ended.',
    'outcome.busy': 'Too many requests right now. Please retry in {seconds} s.',
    'outcome.signIn': 'Please sign in first.',
    'outcome.network': 'Cannot reach the server. Please retry shortly.',
    'line.join': 'Wait in line',
    'line.joining': 'Taking a place…',
    'line.title': 'Waiting line',
    'line.place': 'Ticket #{place}',
    'line.position': 'Your turn: number {position}',
    'line.eta': 'Estimated wait about {time}',
    'line.etaUnknown': 'Estimating the wait (while issuance is paused or not yet open, the line waits for it).',
    'outcome.queued': 'You are in line. We show the outcome the moment it is your turn.',
    'mine.title': 'My coupons',
    'mine.none': 'No coupons yet.',
    'mine.use': 'Use',
    'mine.used': 'Used.',
    'mine.status.ISSUED': 'Ready to use',
    'mine.status.USED': 'Used',
    'live.live': 'Live',
    'live.reconnecting': 'Reconnecting…',
    'console.title': 'Operator console',
    'console.adminOnly': 'Operators only. Please sign in with an admin account.',
    'console.create': 'Create a coupon',
    'console.name': 'Name',
    'console.description': 'Description',
    'console.discountAmount': 'Discount (KRW)',
    'console.quantity': 'Quantity',
    'console.perUserLimit': 'Per-user limit (0 = unlimited)',
    'console.startDate': 'Opens at',
    'console.endDate': 'Closes at',
    'console.created': 'Created coupon #{id}.',
    'console.coupons': 'All coupons',
    'console.col.id': 'ID',
    'console.col.name': 'Name',
    'console.col.status': 'Status',
    'console.col.issued': 'Issued / quantity',
    'console.col.remaining': 'Remaining',
    'console.col.window': 'Window',
    'console.col.rate': 'Issued/s',
    'console.watch': 'Watch',
    'console.liveView': 'Live: {name}',
    'console.chart': 'Issued and rejected per second, last 5 minutes',
    'console.issuedSeries': 'issued/s',
    'console.rejectedSeries': 'rejected/s',
    'console.issued': 'Issued (DB)',
    'console.rate': 'Last 10 s average',
    'console.soldOutIn': 'Sold out in',
    'console.eta': 'Sells out in about',
    'console.rejections': 'Rejections by reason',
    'console.noRejections': 'No rejections',
    'console.reason': 'Reason',
    'console.count': 'Count',
    'console.pickCoupon': 'Pick a coupon in the list to watch it live.',
    'console.eventPage': 'Event page',
    'console.controls': 'Controls',
    'console.action.pause': 'Pause',
    'console.action.resume': 'Resume',
    'console.action.close': 'Close now',
    'console.action.quantity': 'Set quantity',
    'console.action.window': 'Move window',
    'console.action.details': 'Correct details',
    'console.confirm.pause': 'Pause issuance of "{name}"? Every request is refused until you resume.',
    'console.confirm.resume': 'Resume issuance of "{name}"?',
    'console.confirm.close': 'Close "{name}" now? This cannot be undone.',
    'console.confirm.quantity': 'Change the quantity of "{name}"?',
    'console.confirm.window': 'Move the window of "{name}"?',
    'console.confirm.details': 'Correct the name, description and discount of "{name}"?',
    'console.confirm.yes': 'Confirm',
    'console.confirm.no': 'Cancel',
    'console.done.pause': 'Paused.',
    'console.done.resume': 'Resumed.',
    'console.done.close': 'Closed.',
    'console.done.quantity': 'Quantity changed.',
    'console.done.window': 'Window moved.',
    'console.done.details': 'Details corrected.',
    'console.history': 'Change history',
    'console.noChanges': 'No changes yet.',
    'console.col.when': 'When',
    'console.col.who': 'Who',
    'console.col.action': 'Change',
    'console.col.change': 'Before → after',
    'console.winners': 'Winners (issue order)',
    'console.noWinners': 'Nothing issued yet.',
    'console.csv': 'Download CSV',
    'console.col.order': '#',
    'console.col.issuedAt': 'Issued at',
    'console.prev': 'Previous',
    'console.next': 'Next',
    'console.pageOf': 'Page {page} of {pages}',
    'console.toConsole': 'Operator console',
    'units.perSecond': '{value}/s',
    'units.seconds': '{value} s',
  },
};

const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  save: (bearer) => sessionStorage.setItem(TOKEN_KEY, bearer),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

function initialLang() {
  const saved = localStorage.getItem(LANG_KEY);
  return saved === 'en' || saved === 'ko' ? saved : 'ko';
}

function translate(lang, key, params = {}) {
  const text = MESSAGES[lang][key] ?? MESSAGES.ko[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

/** One API call; resolves to {ok, status, data, error, retryAfter}, never throws on HTTP errors. */
async function api(method, path, { body, headers = {}, lang } = {}) {
  const request = { method, headers: { Accept: 'application/json', 'Accept-Language': lang, ...headers } };
  const token = session.token();
  if (token) request.headers.Authorization = token;
  if (body !== undefined) {
    request.headers['Content-Type'] = 'application/json';
    request.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, request);
  } catch (networkFailure) {
    return { ok: false, status: 0, error: { reason: 'NETWORK' } };
  }
  const payload = await response.json().catch(() => ({}));
  const retryAfter = Number(response.headers.get('Retry-After')) || 1;
  return response.ok
    ? { ok: true, status: response.status, data: payload.data, page: payload.page }
    : { ok: false, status: response.status, error: payload, retryAfter };
}

/** field name → message, from the API's fieldErrors, to show beside each input. */
function fieldErrorsOf(result) {
  const byField = {};
  for (const { field, message } of result.error?.fieldErrors ?? []) {
    byField[field] = byField[field] ? `${byField[field]} ${message}` : message;
  }
  return byField;
}

/**
 * A unique key per click intent, so a repeated request for the same intent is answered with the first
 * result. getRandomValues works on plain http too, where crypto.randomUUID does not exist.
 */
function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Reads a server-sent-event stream with fetch() so that it can carry the Authorization header, which
 * EventSource cannot. Reconnects after a drop; stops for good on 401/403 or when `signal` aborts.
 */
async function followSnapshots(path, { signal, onSnapshot, onState }) {
  while (!signal.aborted) {
    try {
      const headers = { Accept: 'text/event-stream' };
      if (session.token()) headers.Authorization = session.token();
      const response = await fetch(path, { headers, signal, cache: 'no-store' });
      if (response.status === 401 || response.status === 403) {
        onState('denied');
        return;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      onState('live');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let pending = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        pending += value.replace(/\r\n?/g, '\n');
        let end;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const data = pending.slice(0, end).split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).replace(/^ /, ''))
            .join('\n');
          pending = pending.slice(end + 2);
          if (data) onSnapshot(JSON.parse(data));
        }
      }
    } catch (dropped) {
      if (signal.aborted) return;
    }
    onState('reconnecting');
    await new Promise((resume) => setTimeout(resume, 2000));
  }
}

function formatDuration(millis) {
  const total = Math.max(0, Math.ceil(millis / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** The server's local date-times ("2026-11-25T21:00:00") shown as "11-25 21:00". */
function formatServerDateTime(value) {
  return value ? value.slice(5, 16).replace('T', ' ') : '';
}

/** What both pages share: language, the signed-in user, and the sign-in / sign-up / sign-out forms. */
function sessionComponent() {
  return {
    lang: initialLang(),
    me: null,
    authMode: 'signIn',
    authForm: { email: '', password: '', nickname: '', address: '' },
    authErrors: {},
    authMessage: '',
    authBusy: false,

    t(key, params) {
      return translate(this.lang, key, params);
    },
    toggleLang() {
      this.lang = this.lang === 'ko' ? 'en' : 'ko';
      localStorage.setItem(LANG_KEY, this.lang);
      document.documentElement.lang = this.lang;
    },
    call(method, path, options = {}) {
      return api(method, path, { ...options, lang: this.lang });
    },
    async loadMe() {
      if (!session.token()) {
        this.me = null;
        return;
      }
      const result = await this.call('GET', '/api/v1/users/me');
      if (result.ok) {
        this.me = result.data;
      } else if (result.status === 401) {
        session.clear();
        this.me = null;
      }
    },
    async submitAuth() {
      if (this.authBusy) return;
      this.authBusy = true;
      this.authErrors = {};
      this.authMessage = '';
      const { email, password, nickname, address } = this.authForm;
      if (this.authMode === 'signUp') {
        const signUp = await this.call('POST', '/api/v1/auth/signup',
          { body: { email, password, nickname, address: address || null } });
        if (!signUp.ok) {
          this.authFailed(signUp);
          return;
        }
      }
      const signIn = await this.call('POST', '/api/v1/auth/signin', { body: { email, password } });
      if (!signIn.ok) {
        this.authFailed(signIn);
        return;
      }
      session.save(signIn.data.accessToken);
      this.authMode = 'signIn';
      this.authForm = { email: '', password: '', nickname: '', address: '' };
      this.authBusy = false;
      await this.loadMe();
      this.$dispatch('signed-in');
    },
    authFailed(result) {
      this.authBusy = false;
      this.authErrors = fieldErrorsOf(result);
      this.authMessage = result.error?.message ?? this.t('outcome.network');
    },
    signOut() {
      session.clear();
      this.me = null;
      this.$dispatch('signed-out');
    },
  };
}
