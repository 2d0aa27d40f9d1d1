// Where the settings are that the nodes' texts send people to. WeChat moved an account's developer
// settings (AppID, AppSecret, IP whitelist, server configuration) from the Official Accounts Platform's
// 开发接口管理 to the WeChat Developer Platform:
// https://developers.weixin.qq.com/doc/service/guide/dev/migration.html (service accounts) and
// https://developers.weixin.qq.com/doc/subscription/guide/dev/migration.html (subscription accounts).

const ACCOUNT = 'WeChat Developer Platform (developers.weixin.qq.com/platform) > My Business (我的业务) > the account';

export const WECHAT_CONSOLE = {
	appId: `${ACCOUNT} > Basic Information (基础信息)`,
	appSecret: `${ACCOUNT} > Basic Information > Development Key (开发密钥)`,
	ipWhitelist: `${ACCOUNT} > Basic Information > API IP Whitelist (API IP 白名单)`,
	messagePush: `${ACCOUNT} > Basic Information > Domain and Message Push (域名与消息推送配置)`,
} as const;
