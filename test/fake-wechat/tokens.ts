// WeChat's access-token rules, as the fake server enforces them.
import { randomBytes } from 'node:crypto';

export type TokenCheck = 'valid' | 'missing' | 'invalid' | 'expired';

interface IssuedToken {
	family: 'classic' | 'stable';
	expiresAt: number;
	/** Set when a newer token replaced this one: it stops working at this time. */
	revokedAt?: number;
}

/**
 * getStableAccessToken, https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken :
 * "强制刷新模式每天限用 20 次且需间隔 30 秒" (forced refreshes: 20 a day, 30 s apart). The page does not say
 * what a forced refresh within 30 s (or the 21st of a day) gets: this fake refuses it with 45009 ("reach
 * max api daily quota limit", WeChat's code for a spent API quota), an assumption. Should WeChat instead
 * answer with its current token without rotating, the node takes that token just the same.
 */
export const FORCED_REFRESH_RULE = { minIntervalMs: 30 * 1000, perDay: 20 };

export type StableIssue = { token: string; expiresIn: number } | { refused: { errcode: number; errmsg: string } };

export interface TokenRules {
	lifetimeMs: number;
	/** How long a classic token keeps working after a newer classic token was issued (WeChat: ~5 min). */
	classicGraceMs: number;
	/** A stable token is rotated when less than this remains (WeChat: 5 min). */
	stableRenewBeforeMs: number;
}

export class TokenAuthority {
	private readonly tokens = new Map<string, IssuedToken>();
	private currentClassic: string | undefined;
	private currentStable: string | undefined;

	constructor(
		private readonly rules: TokenRules,
		private readonly now: () => number,
	) {}

	issueClassic(): { token: string; expiresIn: number } {
		const now = this.now();
		if (this.currentClassic) this.revoke(this.currentClassic, now + this.rules.classicGraceMs);
		const token = this.mint('classic', now);
		this.currentClassic = token;
		return { token, expiresIn: Math.floor(this.rules.lifetimeMs / 1000) };
	}

	issueStable(forceRefresh: boolean): StableIssue {
		const now = this.now();
		if (forceRefresh) {
			const refusal = this.refuseForcedRefresh(now);
			if (refusal) return { refused: refusal };
			this.forcedRefreshes.push(now);
		}
		const current = this.currentStable ? this.tokens.get(this.currentStable) : undefined;
		const notRevoked = current?.revokedAt === undefined || this.stableServedWhileBroken === this.currentStable;
		const usable = current && notRevoked && current.expiresAt - now > this.rules.stableRenewBeforeMs;
		if (this.currentStable && current && usable && !forceRefresh) {
			return { token: this.currentStable, expiresIn: Math.floor((current.expiresAt - now) / 1000) };
		}
		// A forced refresh kills the previous stable token at once; a natural rotation lets it run out.
		if (this.currentStable && forceRefresh) this.revoke(this.currentStable, now);
		const token = this.mint('stable', now);
		this.currentStable = token;
		return { token, expiresIn: Math.floor(this.rules.lifetimeMs / 1000) };
	}

	/** Whether this authority issued `token` (valid or not). */
	issued(token: string): boolean {
		return this.tokens.has(token);
	}

	private readonly forcedRefreshes: number[] = [];

	private refuseForcedRefresh(now: number): { errcode: number; errmsg: string } | undefined {
		const last = this.forcedRefreshes[this.forcedRefreshes.length - 1];
		const today = this.forcedRefreshes.filter((at) => now - at < 24 * 3600 * 1000).length;
		if ((last !== undefined && now - last < FORCED_REFRESH_RULE.minIntervalMs) || today >= FORCED_REFRESH_RULE.perDay) {
			return { errcode: 45009, errmsg: 'reach max api daily quota limit rid: fake' };
		}
		return undefined;
	}

	check(token: string | undefined): TokenCheck {
		if (token === undefined || token === '') return 'missing';
		const issued = this.tokens.get(token);
		if (!issued) return 'invalid';
		const now = this.now();
		if (issued.revokedAt !== undefined && now >= issued.revokedAt) return 'invalid';
		if (now >= issued.expiresAt) return 'expired';
		return 'valid';
	}

	/** Rejects the current stable token on API calls while the stable endpoint still returns it. */
	breakCurrentStable(): void {
		if (!this.currentStable) return;
		const issued = this.tokens.get(this.currentStable);
		if (issued) issued.revokedAt = this.now();
		this.stableServedWhileBroken = this.currentStable;
	}

	private stableServedWhileBroken: string | undefined;

	/** Every token issued so far stops working now, as when another system takes over the App ID. */
	revokeAll(): void {
		const now = this.now();
		for (const token of this.tokens.keys()) this.revoke(token, now);
		this.currentClassic = undefined;
		this.currentStable = undefined;
	}

	private revoke(token: string, at: number): void {
		const issued = this.tokens.get(token);
		if (issued && (issued.revokedAt === undefined || issued.revokedAt > at)) issued.revokedAt = at;
	}

	private mint(family: IssuedToken['family'], now: number): string {
		// Real tokens are long opaque strings; length matters for the node's storage, so stay close.
		const token = `${family === 'stable' ? 'S' : 'C'}_${randomBytes(60).toString('base64url')}`;
		this.tokens.set(token, { family, expiresAt: now + this.rules.lifetimeMs });
		return token;
	}
}
