// What a publish job's status means, as freepublish/get and the PUBLISHJOBFINISH event report it
// (https://developers.weixin.qq.com/doc/service/api/public/api_freepublish_get: "0:成功, 1:发布中，2:原创失败,
// 3: 常规失败, 4:平台审核不通过, 5:成功后用户删除所有文章, 6: 成功后系统封禁所有文章").

export const PUBLISH_STATUS_MEANINGS: Readonly<Record<number, string>> = {
	0: 'published',
	1: 'publishing',
	2: 'originality check failed: the articles in fail_idx were not published',
	3: 'failed: the articles in fail_idx were not published',
	4: 'refused by WeChat\'s review',
	5: 'published, then every article was deleted',
	6: 'published, then every article was blocked by WeChat',
};

export const PUBLISHING = 1;

export function publishStatusMeaning(status: number): string {
	return PUBLISH_STATUS_MEANINGS[status] ?? 'a status WeChat does not document';
}
