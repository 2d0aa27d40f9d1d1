// PUBLISHJOBFINISH, the event WeChat pushes when a Draft > Publish has finished ("发布结果事件推送" on
// https://developers.weixin.qq.com/doc/service/api/public/api_freepublish_submit): the fixtures follow its examples,
// a success with article_id and article_detail, and an originality failure with one fail_idx per article.
import { parseXml } from '../../../nodes/WeChatMassMessageTrigger/callbackXml';
import { isPublishJobFinish, toPublishJobFinishOutput } from '../../../nodes/WeChatMassMessageTrigger/publishJobFinish';
import type { XmlElement } from '../../../nodes/WeChatMassMessageTrigger/types';
import { readFixture } from './fixtures';

function message(xml: string): XmlElement {
	const result = parseXml(xml);
	if (!result.ok) throw new Error(result.reason);
	return result.root;
}

test('a finished publish: its publish_id as digits, the status and its meaning, article_id and each article URL', () => {
	const output = toPublishJobFinishOutput(message(readFixture('publish-finished')));
	expect(output).toEqual({
		event: 'PUBLISHJOBFINISH',
		publishId: '2247503051',
		publishStatus: 0,
		publishStatusMeaning: 'published',
		articleId: 'b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWP4Hq4',
		articleUrls: [
			{ articleIdx: 1, url: 'https://mp.weixin.qq.com/s?__biz=MzB7&mid=2247503051&idx=1' },
			{ articleIdx: 2, url: 'https://mp.weixin.qq.com/s?__biz=MzB7&mid=2247503051&idx=2' },
		],
		failedArticles: [],
		account: 'gh_3f2a6b8c9d01',
		fromUserName: 'oV5CrjpxgaGXNHIQigzNlgLTnwic',
		time: '2025-12-01T11:11:00.000Z',
		raw: expect.objectContaining({ Event: 'PUBLISHJOBFINISH', PublishEventInfo: expect.objectContaining({ publish_id: '2247503051' }) }),
	});
});

test('a failed publish: the failed articles and what the status means', () => {
	const output = toPublishJobFinishOutput(message(readFixture('publish-failed')));
	expect(output).toMatchObject({ publishStatus: 2, publishStatusMeaning: 'originality check failed: the articles in fail_idx were not published', failedArticles: [1, 2], articleId: null, articleUrls: [] });
});

test('only PUBLISHJOBFINISH events are publish events', () => {
	expect(['publish-finished', 'finished-with-failures', 'subscribe'].map((name) => isPublishJobFinish(message(readFixture(name as 'subscribe'))))).toEqual([true, false, false]);
});
