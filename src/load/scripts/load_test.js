// The seed's k6 scenario against Coupon Rush: sign in during setup, ramp to 2,000 virtual users in 10 s, hold
// 30 s, each repeating POST /api/v1/user-coupon. Unlike the seed it can sign in many accounts (each virtual user
// uses one), and it checks for an issuance or an expected refusal (the coupon's rules: sold out, limit reached,
// ...), counting refusals by the error body's `reason`; only the rest fails the check and is logged.
//
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e COUPON_ID=1 -e ACCOUNTS_FILE=accounts.csv src/load/scripts/load_test.js
//
// Options (all -e NAME=value): see docs/load-testing.md
//   BASE_URL       service under test (default http://127.0.0.1:8080)
//   COUPON_ID      coupon to issue (default 1)
//   ACCOUNTS_FILE  CSV lines "email,password[,token]" (token "Bearer ..." skips the sign-in); '#' comments
//   EMAIL/PASSWORD a single account instead (the seed's way), used when ACCOUNTS_FILE is not given
//   VUS, RAMP, HOLD  peak virtual users (2000), ramp duration (10s), hold duration (30s)
//   SLEEP          think time in seconds between two requests of a virtual user (1, as in the seed)
//   LOG_FAILURES   "false" to stop logging every failed request
import http from 'k6/http';
import { check, sleep } from 'k6';
import { Counter } from 'k6/metrics';

const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const COUPON_ID = Number(__ENV.COUPON_ID || 1);
const VUS = Number(__ENV.VUS || 2000);
const SLEEP = Number(__ENV.SLEEP === undefined ? 1 : __ENV.SLEEP);
const LOG_FAILURES = (__ENV.LOG_FAILURES || 'true') !== 'false';
const SIGN_IN_BATCH = 50;

// open() only works in the init context, so the file is read here and parsed in setup().
const ACCOUNTS_CSV = __ENV.ACCOUNTS_FILE ? open(__ENV.ACCOUNTS_FILE) : null;

export const options = {
    stages: [
        { duration: __ENV.RAMP || '10s', target: VUS },
        { duration: __ENV.HOLD || '30s', target: VUS },
    ],
    // Signing in many accounts costs the server a BCrypt hash each.
    setupTimeout: __ENV.SETUP_TIMEOUT || '10m',
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
};

// The answers the coupon's rules call for, with their status (com.couponrush.loadtest.tally.Outcome)
const EXPECTED_REFUSALS = {
    COUPON_SOLD_OUT: 409,
    PER_USER_LIMIT_REACHED: 409,
    COUPON_NOT_STARTED: 409,
    COUPON_ENDED: 409,
    COUPON_PAUSED: 409,
    ALREADY_IN_LINE: 429,
    IDEMPOTENCY_KEY_REUSED: 422,
};
// http_req_failed counts what no rule explains; the check below tells a 409 refusal from a 409 lock time-out
http.setResponseCallback(http.expectedStatuses(200, 409, 422, 429));

const issued = new Counter('issued');
const refusals = {};
for (const reason of Object.keys(EXPECTED_REFUSALS)) {
    refusals[reason] = new Counter(`refused_${reason.toLowerCase()}`);
}
const failures = {
    LOCK_NOT_ACQUIRED: new Counter('failed_lock_not_acquired'),
    SERVICE_OVERLOADED: new Counter('failed_service_overloaded'),
};
const otherFailures = new Counter('failed_other');

function reasonOf(res) {
    try {
        return res.json('reason') || '';
    } catch (notJson) {
        return '';
    }
}

function accounts() {
    if (ACCOUNTS_CSV) {
        return ACCOUNTS_CSV.split('\n')
            .map((line) => line.trim())
            .filter((line) => line && !line.startsWith('#'))
            .map((line) => {
                const [email, password, token] = line.split(',');
                return { email: email.trim(), password: (password || '').trim(), token: (token || '').trim() };
            });
    }
    return [{ email: __ENV.EMAIL || 'user@example.com', password: __ENV.PASSWORD || 'Passw0rd!', token: '' }];
}

export function setup() {
    const all = accounts();
    const tokens = all.filter((a) => a.token).map((a) => a.token);
    const toSignIn = all.filter((a) => !a.token);
    for (let i = 0; i < toSignIn.length; i += SIGN_IN_BATCH) {
        const batch = toSignIn.slice(i, i + SIGN_IN_BATCH).map((a) => ({
            method: 'POST',
            url: `${BASE_URL}/api/v1/auth/signin`,
            body: JSON.stringify({ email: a.email, password: a.password }),
            params: { headers: { 'Content-Type': 'application/json' } },
        }));
        for (const res of http.batch(batch)) {
            check(res, { 'login success': (r) => r.status === 200 });
            if (res.status === 200) {
                tokens.push(res.json('data.accessToken'));
            }
        }
    }
    if (tokens.length === 0) {
        throw new Error('no account could sign in');
    }
    return { tokens };
}

export default function (data) {
    const token = data.tokens[(__VU - 1) % data.tokens.length];
    const res = http.post(`${BASE_URL}/api/v1/user-coupon`, JSON.stringify({ couponId: COUPON_ID }), {
        headers: { 'Content-Type': 'application/json', Authorization: token },
    });
    const reason = res.status === 200 ? '' : reasonOf(res);
    const refused = EXPECTED_REFUSALS[reason] === res.status;
    check(res, { 'status is 200 or an expected refusal': (r) => r.status === 200 || refused });
    if (res.status === 200) {
        issued.add(1);
    } else if (refused) {
        refusals[reason].add(1);
    } else {
        (failures[reason] || otherFailures).add(1);
        if (LOG_FAILURES) {
            console.log(`Failed: ${res.status} - ${res.body}`);
        }
    }
    if (SLEEP > 0) {
        sleep(SLEEP);
    }
}
