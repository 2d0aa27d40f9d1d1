// The fake's QR codes with a scene (生成带参数的二维码) and the follows and scans they bring. Each rule from WeChat's pages,
// cited beside it:
// - qrcode/create: https://developers.weixin.qq.com/doc/service/api/qrcode/qrcodes/api_createqrcode.html (the Official
//   Account copy, with showqrcode on the same page: https://developers.weixin.qq.com/doc/offiaccount/Account_Management/Generating_a_Parametric_QR_Code.html).
// - The events a follow, a scan and an unfollow push: see push.ts.
import { randomBytes } from 'node:crypto';

import type { FakeAudience } from './audience';
import type { FakeEventPush } from './push';
import { qrCodeJpeg } from './qrImage';

type Json = Record<string, unknown>;

export interface FakeQrCode {
	ticket: string;
	actionName: string;
	scene: string | number;
	permanent: boolean;
	createdAt: number;
	/** When a temporary code stops working (epoch ms); undefined for a permanent one. */
	expiresAt?: number;
	url: string;
}

/** "临时二维码…最长可以设置为在二维码生成后的30天（即2592000秒）后过期" (api_createqrcode). */
export const MAX_EXPIRE_SECONDS = 2592000;
/**
 * What a temporary code lives without expire_seconds. The Official Account copy of the page said "此字段如果不填，则默认有效期为
 * 30秒" and an older copy (https://developers.weixin.qq.com/doc/service/Account_Management/Generating_a_Parametric_QR_Code.html)
 * "默认有效期为60秒"; the current page says neither. The fake takes 30 s.
 */
export const DEFAULT_EXPIRE_SECONDS = 30;
/** "永久二维码，是无过期时间的，但数量较少（目前为最多10万个）"; scene_id "永久二维码时最大值为100000（目前参数只支持1--100000）". */
export const MAX_PERMANENT_CODES = 100000;
/** scene_id "临时二维码时为32位非0整型": the SCAN event calls it "32位无符号整数". */
const MAX_TEMPORARY_SCENE_ID = 4294967295;
/** scene_str "长度限制为1到64". */
const MAX_SCENE_STR = 64;
/**
 * The page names no errcode for a request outside these rules; the fake answers the global return-code table's
 * 40035 "不合法的参数" for all of them.
 */
const INVALID_ARGS = { errcode: 40035, errmsg: 'invalid args' };
const ACTION_NAMES = ['QR_SCENE', 'QR_STR_SCENE', 'QR_LIMIT_SCENE', 'QR_LIMIT_STR_SCENE'];

export const FOLLOWERS_ADMIN_PATH = '/__fake/followers';

export class FakeQrCodes {
	/** Every code made, by ticket. */
	readonly byTicket = new Map<string, FakeQrCode>();
	/** Permanent codes by scene: the page does not say what asking again for a permanent scene does; here it is the same code. */
	private readonly permanentByScene = new Map<string, FakeQrCode>();
	private nextId = 1;
	private nextFollower = 1;

	constructor(
		private readonly now: () => number,
		private readonly audience: FakeAudience,
		private readonly push: FakeEventPush,
	) {}

	/** qrcode/create: {"expire_seconds", "action_name", "action_info": {"scene": {"scene_id" | "scene_str"}}} → {"ticket", "expire_seconds", "url"}. */
	create(body: Json): Json {
		const actionName = body.action_name;
		if (typeof actionName !== 'string' || !ACTION_NAMES.includes(actionName)) return INVALID_ARGS;
		const permanent = actionName.startsWith('QR_LIMIT_');
		const wantsString = actionName.endsWith('STR_SCENE');
		const scene = ((body.action_info as Json | undefined)?.scene as Json | undefined) ?? {};
		let value: string | number;
		if (wantsString) {
			const text = scene.scene_str;
			if (typeof text !== 'string' || [...text].length < 1 || [...text].length > MAX_SCENE_STR) return INVALID_ARGS;
			value = text;
		} else {
			const id = scene.scene_id;
			const max = permanent ? MAX_PERMANENT_CODES : MAX_TEMPORARY_SCENE_ID;
			if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > max) return INVALID_ARGS;
			value = id;
		}
		if (permanent) {
			// "仅临时二维码需要" expire_seconds: a permanent code ignores it.
			const key = `${typeof value}:${value}`;
			const existing = this.permanentByScene.get(key);
			if (existing) return { ticket: existing.ticket, url: existing.url };
			if (this.permanentByScene.size >= MAX_PERMANENT_CODES) return INVALID_ARGS;
			const code = this.mint(actionName, value, undefined);
			this.permanentByScene.set(key, code);
			return { ticket: code.ticket, url: code.url };
		}
		const seconds = body.expire_seconds ?? DEFAULT_EXPIRE_SECONDS;
		if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > MAX_EXPIRE_SECONDS) return INVALID_ARGS;
		const code = this.mint(actionName, value, seconds);
		return { ticket: code.ticket, expire_seconds: seconds, url: code.url };
	}

	private mint(actionName: string, scene: string | number, expireSeconds: number | undefined): FakeQrCode {
		const id = `fake${String(this.nextId++).padStart(6, '0')}${randomBytes(6).toString('hex')}`;
		const url = `http://weixin.qq.com/q/${id}`;
		// Tickets look like the page's sample ("gQH47joAAAAAAAAAASxodHRwOi8v…AAIEZ23sUwMEmm3sUw=="): base64 around the url, always
		// with a "+" and a "/" ("gQA+++//…"), which make "TICKET记得进行UrlEncode" matter.
		const ticket = Buffer.concat([Buffer.from([0x81, 0x00, 0x3e, 0xfb, 0xef, 0xff]), Buffer.from(url), randomBytes(7)]).toString('base64');
		const createdAt = this.now();
		const code: FakeQrCode = { ticket, actionName, scene, permanent: expireSeconds === undefined, createdAt, url, expiresAt: expireSeconds === undefined ? undefined : createdAt + expireSeconds * 1000 };
		this.byTicket.set(ticket, code);
		return code;
	}

	/** A code that works now: known, and not past its time. */
	live(ticket: string): FakeQrCode | undefined {
		const code = this.byTicket.get(ticket);
		return code && (code.expiresAt === undefined || code.expiresAt > this.now()) ? code : undefined;
	}

	/**
	 * showqrcode?ticket=: "ticket正确情况下，http 返回码是200，是一张图片" with "Content-Type:image/jpg" and
	 * "Cache-control:max-age=604800"; "错误情况下（如ticket非法）返回HTTP错误码404". An expired code's ticket is one no longer valid.
	 */
	image(ticket: string | undefined): { status: number; headers: Record<string, string>; body: Buffer } {
		const code = ticket === undefined ? undefined : this.live(ticket);
		if (code === undefined) return { status: 404, headers: { 'Content-Type': 'text/html' }, body: Buffer.from('<html><body>404 Not Found</body></html>') };
		return { status: 200, headers: { 'Content-Type': 'image/jpg', 'Cache-control': 'max-age=604800', 'Accept-Ranges': 'bytes' }, body: qrCodeJpeg(code.ticket) };
	}

	/**
	 * Someone scans the code of `ticket`: "如果用户还未关注公众号，则用户可以关注公众号，关注后微信会将带场景值关注事件推送给开发者";
	 * "如果用户已经关注公众号，在用户扫描后会自动进入会话，微信也会将带场景值扫描事件推送给开发者" (api_createqrcode). Someone who does
	 * not follow the account (no OpenID given: a new person) follows it. An expired or unknown code does nothing.
	 */
	scan(ticket: string, openId?: string): { openid: string; event: 'subscribe' | 'SCAN'; scene: string | number } {
		const code = this.live(ticket);
		if (code === undefined) throw new Error('no live QR code has this ticket: it is unknown or has expired');
		const openid = openId ?? `oFakeScan${String(this.nextFollower++).padStart(19, '0')}`;
		const follows = this.audience.isFollower(openid);
		if (!follows) this.audience.addFollowers([openid], { scene: code.scene });
		const event = follows ? 'SCAN' : 'subscribe';
		this.push.followerEvent(openid, event, { scene: code.scene, ticket: code.ticket });
		return { openid, event, scene: code.scene };
	}

	/** A follower unfollows: "unsubscribe(取消订阅)"; they leave the followers list and their tags. */
	unfollow(openId: string): { openid: string; event: 'unsubscribe' } {
		if (!this.audience.removeFollower(openId)) throw new Error(`${openId} does not follow the account`);
		this.push.followerEvent(openId, 'unsubscribe');
		return { openid: openId, event: 'unsubscribe' };
	}

	/**
	 * The fake's admin API (never WeChat's), for a sandbox user or a test in another process:
	 * POST /__fake/followers/scan {ticket, openid?} → {openid, event, scene}; POST /__fake/followers/unfollow {openid} → {openid, event}.
	 */
	admin(method: string, path: string, raw: Buffer): { status: number; answer: Json } {
		if (method !== 'POST') return { status: 405, answer: { error: `${method} is not allowed here` } };
		try {
			const body = JSON.parse(raw.toString('utf8') || '{}') as Json;
			if (path === `${FOLLOWERS_ADMIN_PATH}/scan`) {
				if (typeof body.ticket !== 'string') throw new Error('give the ticket of the code scanned');
				return { status: 200, answer: this.scan(body.ticket, typeof body.openid === 'string' ? body.openid : undefined) };
			}
			if (path === `${FOLLOWERS_ADMIN_PATH}/unfollow`) {
				if (typeof body.openid !== 'string') throw new Error('give the openid of the follower who unfollows');
				return { status: 200, answer: this.unfollow(body.openid) };
			}
			return { status: 404, answer: { error: `no ${path} here: ${FOLLOWERS_ADMIN_PATH}/scan and ${FOLLOWERS_ADMIN_PATH}/unfollow` } };
		} catch (error) {
			return { status: 400, answer: { error: error instanceof Error ? error.message : String(error) } };
		}
	}
}
