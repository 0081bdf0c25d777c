/**
 * Sign-in as one named demo user through the backend's `hyperpod-demo` proxy provider
 * (packages/backend/src/demoSignIn.ts): the user is sent in a header, the backend checks it
 * against `auth.providers.hyperpod-demo.users` and issues a token for that catalog User. One
 * instance per demo user, each behind its own ApiRef, so the standard SignInPage lists each as a
 * provider next to the guest.
 */
import {
  createApiRef,
  SessionState,
  type ApiRef,
  type BackstageIdentityApi,
  type BackstageIdentityResponse,
  type DiscoveryApi,
  type ProfileInfo,
  type ProfileInfoApi,
  type SessionApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { Observable } from '@backstage/types';

export const DEMO_PROVIDER_ID = 'hyperpod-demo';
export const DEMO_USER_HEADER = 'x-hyperpod-demo-user';

/** Renew this long before the token's `exp`. */
const MARGIN_MS = 60_000;
const FALLBACK_LIFETIME_MS = 5 * 60_000;

interface Session {
  identity: BackstageIdentityResponse;
  profile: ProfileInfo;
  renewAt: number;
}

function renewAt(token: string): number {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as {
      exp?: number;
    };
    if (typeof json.exp === 'number') return json.exp * 1000 - MARGIN_MS;
  } catch {
    // not a JWT we can read: renew on the fallback schedule
  }
  return Date.now() + FALLBACK_LIFETIME_MS;
}

export type DemoUserAuthApi = ProfileInfoApi & BackstageIdentityApi & SessionApi;

export class DemoUserAuth implements DemoUserAuthApi {
  private session: Session | undefined;
  private pending: Promise<Session> | undefined;
  private readonly listeners = new Set<(s: SessionState) => void>();

  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      /** The user's entity name (or ref), as listed in the provider's config. */
      user: string;
    },
  ) {}

  private async fetchSession(): Promise<Session> {
    const base = await this.options.discoveryApi.getBaseUrl('auth');
    const res = await fetch(`${base}/${DEMO_PROVIDER_ID}/refresh`, {
      credentials: 'include',
      headers: { 'X-Requested-With': 'XMLHttpRequest', [DEMO_USER_HEADER]: this.options.user },
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    const body = (await res.json()) as {
      profile: ProfileInfo;
      backstageIdentity: { token: string; identity: BackstageIdentityResponse['identity'] };
    };
    const { token, identity } = body.backstageIdentity;
    return { identity: { token, identity }, profile: body.profile, renewAt: renewAt(token) };
  }

  private async current(): Promise<Session> {
    if (this.session && Date.now() < this.session.renewAt) return this.session;
    this.pending ??= this.fetchSession().then(
      (s) => {
        const wasOut = !this.session;
        this.session = s;
        this.pending = undefined;
        if (wasOut) this.emit(SessionState.SignedIn);
        return s;
      },
      (e: unknown) => {
        this.pending = undefined;
        throw e;
      },
    );
    return this.pending;
  }

  private emit(state: SessionState): void {
    for (const l of this.listeners) l(state);
  }

  async getBackstageIdentity(): Promise<BackstageIdentityResponse | undefined> {
    return (await this.current()).identity;
  }

  async getProfile(): Promise<ProfileInfo | undefined> {
    return (await this.current()).profile;
  }

  async signIn(): Promise<void> {
    await this.current();
  }

  async signOut(): Promise<void> {
    this.session = undefined;
    this.emit(SessionState.SignedOut);
  }

  sessionState$(): Observable<SessionState> {
    const listeners = this.listeners;
    const initial = this.session ? SessionState.SignedIn : SessionState.SignedOut;
    const observable: Observable<SessionState> = {
      [Symbol.observable]() {
        return observable;
      },
      subscribe(observerOrNext?: unknown) {
        const next =
          typeof observerOrNext === 'function'
            ? (observerOrNext as (s: SessionState) => void)
            : (observerOrNext as { next?: (s: SessionState) => void } | undefined)?.next?.bind(
                observerOrNext,
              );
        const listener = (s: SessionState) => next?.(s);
        listeners.add(listener);
        listener(initial);
        let closed = false;
        return {
          get closed() {
            return closed;
          },
          unsubscribe() {
            closed = true;
            listeners.delete(listener);
          },
        };
      },
    };
    return observable;
  }
}

/** A demo user the sign-in page offers (must be in `auth.providers.hyperpod-demo.users`). */
export interface DemoUser {
  user: string;
  title: string;
  message: string;
  apiRef: ApiRef<DemoUserAuthApi>;
}

function demoUser(user: string, title: string, message: string): DemoUser {
  return {
    user,
    title,
    message,
    apiRef: createApiRef<DemoUserAuthApi>({ id: `app.auth.hyperpod-demo.${user}` }),
  };
}

/**
 * The demo users besides the guest (user:default/guest, a member of ml-platform). They mirror
 * app-config.yaml: `auth.providers.hyperpod-demo.users` and `catalog.providers.hyperpod.users`.
 */
export const demoUsers: DemoUser[] = [
  demoUser(
    'approver',
    'Approver (demo)',
    'Sign in as user:default/approver, a member of platform-approvers: approves or rejects upgrade requests.',
  ),
];
