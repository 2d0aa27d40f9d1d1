// qrcode/create's request, from WeChat's page "生成带参数的二维码"
// (https://developers.weixin.qq.com/doc/service/api/qrcode/qrcodes/api_createqrcode.html; the Official Account copy:
// https://developers.weixin.qq.com/doc/offiaccount/Account_Management/Generating_a_Parametric_QR_Code.html):
// - "临时二维码，是有过期时间的，最长可以设置为在二维码生成后的30天（即2592000秒）后过期"; expire_seconds "最大2592000，仅临时二维码需要".
// - "永久二维码，是无过期时间的，但数量较少（目前为最多10万个）".
// - action_name "QR_SCENE(临时整型)/QR_STR_SCENE(临时字符串)/QR_LIMIT_SCENE(永久整型)/QR_LIMIT_STR_SCENE(永久字符串)".
// - scene_id "临时二维码时为32位非0整型，永久二维码时最大值为100000（目前参数只支持1--100000）"; scene_str "长度限制为1到64".
// The SCAN event calls the scene "一个32位无符号整数", so a temporary scene_id is taken as 1 to 4294967295.
import type { QrCodeActionName, QrCodeCreateRequest } from './types';

export type QrCodeLifetime = 'temporary' | 'permanent';

export type QrCodeScene = { kind: 'string'; value: string } | { kind: 'number'; value: number };

/** 30 days: WeChat's longest, and the node's default (WeChat's own default, when expire_seconds is left out, is seconds). */
export const MAX_EXPIRE_SECONDS = 2592000;
export const SCENE_ID_RANGE: Record<QrCodeLifetime, { min: number; max: number }> = {
	temporary: { min: 1, max: 4294967295 },
	permanent: { min: 1, max: 100000 },
};
export const SCENE_STR_LENGTH = { min: 1, max: 64 };

const ACTION_NAMES: Record<QrCodeLifetime, Record<QrCodeScene['kind'], QrCodeActionName>> = {
	temporary: { number: 'QR_SCENE', string: 'QR_STR_SCENE' },
	permanent: { number: 'QR_LIMIT_SCENE', string: 'QR_LIMIT_STR_SCENE' },
};

/** The scene's length as the page counts it ("长度"): in characters, an emoji being one. */
export function sceneLength(scene: string): number {
	return [...scene].length;
}

/** The request for a code of `lifetime` carrying `scene`; `expireSeconds` is for a temporary code. */
export function qrCodeRequest(lifetime: QrCodeLifetime, scene: QrCodeScene, expireSeconds: number): QrCodeCreateRequest {
	const request: QrCodeCreateRequest = {
		action_name: ACTION_NAMES[lifetime][scene.kind],
		action_info: { scene: scene.kind === 'number' ? { scene_id: scene.value } : { scene_str: scene.value } },
	};
	return lifetime === 'temporary' ? { expire_seconds: expireSeconds, ...request } : request;
}

/** The address of a ticket's image below `imageBaseUrl`: "https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=TICKET", "TICKET记得进行UrlEncode". */
export function qrCodeImageUrl(imageBaseUrl: string, ticket: string): string {
	return `${imageBaseUrl}/cgi-bin/showqrcode?ticket=${encodeURIComponent(ticket)}`;
}
