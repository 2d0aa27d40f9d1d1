// Shapes of WeChat's requests and responses, as WeChat names their fields.

/** Every WeChat answer may carry these; `errcode` 0 or absent means success. */
export interface WeChatResult {
	errcode?: number;
	errmsg?: string;
}

export type TokenEndpoint = 'stable' | 'classic';

export interface WeChatCredentials {
	appId: string;
	appSecret: string;
	tokenEndpoint: TokenEndpoint;
	baseUrl: string;
	accessToken: string;
}

export interface StableTokenRequest {
	grant_type: 'client_credential';
	appid: string;
	secret: string;
	force_refresh: boolean;
}

export interface AccessTokenResponse extends WeChatResult {
	access_token?: string;
	expires_in?: number;
}

export interface SpeedGetResponse extends WeChatResult {
	speed: number;
	realspeed: number;
}

export interface SpeedSetRequest {
	speed: number;
}
