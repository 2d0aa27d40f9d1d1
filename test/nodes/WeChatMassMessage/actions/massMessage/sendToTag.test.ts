import { startFixture, fastRepeats, type Fixture } from '../../fixtures';

const SENDALL = '/cgi-bin/message/mass/sendall';
const base = { resource: 'massMessage', operation: 'sendToTag' };

describe('Mass Message > Send to Tag or All', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	const bodies = () => f.wechat.callsTo(SENDALL).map((call) => call.body as Record<string, unknown>);

	test.each([
		[{ messageType: 'mpnews', articleMediaId: 'NEWS_MEDIA_ID' }, { msgtype: 'mpnews', mpnews: { media_id: 'NEWS_MEDIA_ID' } }],
		[{ messageType: 'text', text: '春季促销 starts today' }, { msgtype: 'text', text: { content: '春季促销 starts today' } }],
		[{ messageType: 'voice', voiceMediaId: 'VOICE_MEDIA_ID' }, { msgtype: 'voice', voice: { media_id: 'VOICE_MEDIA_ID' } }],
		[
			{ messageType: 'image', imageMediaIds: 'IMAGE_1, IMAGE_2\nIMAGE_3', imageRecommendation: 'New in', imageOpenComments: true, imageOnlyFollowersCanComment: true },
			{ msgtype: 'image', images: { media_ids: ['IMAGE_1', 'IMAGE_2', 'IMAGE_3'], recommend: 'New in', need_open_comment: 1, only_fans_can_comment: 1 } },
		],
		[{ messageType: 'mpvideo', videoMediaId: 'VIDEO_MEDIA_ID' }, { msgtype: 'mpvideo', mpvideo: { media_id: 'VIDEO_MEDIA_ID' } }],
		[{ messageType: 'wxcard', cardId: 'pCARD123' }, { msgtype: 'wxcard', wxcard: { card_id: 'pCARD123' } }],
	])('sends %j to a tag as WeChat expects it', async (fields, content) => {
		const result = await f.env.n8n.run({ parameters: { ...base, sendTo: 'tag', tagId: 100, ...fields } });
		expect(result.error).toBeUndefined();
		const [body] = bodies();
		expect(body).toEqual({ filter: { is_to_all: false, tag_id: 100 }, ...content, send_ignore_reprint: 0, clientmsgid: expect.any(String) });
		const [accepted] = f.wechat.accepted;
		const { msgtype, ...media } = content as unknown as { msgtype: string } & Record<string, Record<string, unknown>>;
		const mediaFields = Object.values(media).flatMap((value) => Object.entries(value).filter(([name]) => ['media_id', 'media_ids', 'card_id'].includes(name)));
		expect(result.json).toEqual([
			{
				errcode: 0,
				errmsg: 'send job submission success',
				msg_id: accepted.msgId,
				...(accepted.msgDataId !== undefined ? { msg_data_id: accepted.msgDataId } : {}),
				sent: true,
				duplicate: false,
				sendTo: 'tag',
				tagId: 100,
				tagName: 'VIP customers',
				msgtype,
				...Object.fromEntries(mediaFields),
				clientMsgId: body.clientmsgid,
				clientmsgid: body.clientmsgid,
			},
		]);
	});

	test('version 4 outputs the Client Message ID the user gave as clientMsgId ("" when derived) and what WeChat got as clientmsgid', async () => {
		const derived = await f.env.n8n.run({ parameters: { ...base, sendTo: 'all', messageType: 'text', text: 'Hi' }, typeVersion: 4 });
		const given = await f.env.n8n.run({ parameters: { ...base, sendTo: 'all', messageType: 'text', text: 'Ho', options: { clientMsgId: 'spring-2026' } }, typeVersion: 4 });
		expect(derived.json[0]).toMatchObject({ sendTo: 'all', clientMsgId: '', clientmsgid: bodies()[0].clientmsgid });
		expect(given.json[0]).toMatchObject({ clientMsgId: 'spring-2026', clientmsgid: 'spring-2026' });
	});

	test('to all followers, with reprints allowed and the user\'s own Client Message ID', async () => {
		const result = await f.env.n8n.run({
			parameters: { ...base, sendTo: 'all', messageType: 'mpnews', articleMediaId: 'NEWS_MEDIA_ID', options: { allowReprint: true, clientMsgId: 'spring-sale-2026' } },
		});
		expect(result.error).toBeUndefined();
		expect(bodies()).toEqual([
			{ filter: { is_to_all: true }, msgtype: 'mpnews', mpnews: { media_id: 'NEWS_MEDIA_ID' }, send_ignore_reprint: 1, clientmsgid: 'spring-sale-2026' },
		]);
		expect(result.json[0].msg_data_id).toEqual(expect.any(Number));
	});

	test('the same Client Message ID in a later execution is reported as a duplicate with the original msg_id', async () => {
		const parameters = { ...base, sendTo: 'all', messageType: 'text', text: 'Hi', options: { clientMsgId: 'campaign-42', ...fastRepeats } };
		const first = await f.env.n8n.run({ parameters });
		await new Promise((resolve) => setTimeout(resolve, 200));
		const second = await f.env.n8n.run({ parameters });
		expect(f.wechat.accepted).toHaveLength(1);
		expect(first.json[0]).toMatchObject({ errcode: 0, duplicate: false });
		expect(second.json[0]).toEqual({
			errcode: 45065,
			errmsg: 'clientmsgid exist',
			msg_id: first.json[0].msg_id,
			sent: false,
			duplicate: true,
			sendTo: 'all',
			msgtype: 'text',
			clientMsgId: 'campaign-42',
			clientmsgid: 'campaign-42',
		});
		expect(second.hints).toEqual([
			{
				message: `Item 1: nothing was sent now. WeChat already accepted this send (msg_id ${first.json[0].msg_id}) in an earlier run within the last 24 hours, and its followers have it: it had the same Client Message ID "campaign-42".`,
				location: 'outputPane',
			},
		]);
	});

	test('the derived Client Message ID follows the message and recipients, and stays within 32 bytes', async () => {
		const parameters = { ...base, sendTo: 'all', messageType: 'text', text: '={{ "Hi " + $json.name }}', options: fastRepeats };
		await f.env.n8n.run({ parameters, items: [{ json: { name: 'A' } }, { json: { name: 'B' } }] });
		await new Promise((resolve) => setTimeout(resolve, 200));
		// A later execution with the same message to the same audience (a retried execution, a trigger
		// firing twice) is the same send: WeChat reports the original instead of sending again.
		const again = await f.env.n8n.run({ parameters, items: [{ json: { name: 'A' } }] });
		const ids = bodies().map((body) => body.clientmsgid as string);
		expect(new Set(ids).size).toBe(2);
		expect(ids[2]).toBe(ids[0]);
		for (const id of ids) expect(Buffer.byteLength(id)).toBeLessThanOrEqual(32);
		expect(f.wechat.accepted).toHaveLength(2);
		expect(again.json[0]).toMatchObject({ errcode: 45065, duplicate: true, msg_id: f.wechat.accepted[0].msgId });
	});

	test('retrying a failed execution (a new execution) cannot send twice either', async () => {
		f.wechat.injectFault(SENDALL, 'dropAfterAccept', 1);
		f.wechat.injectFault(SENDALL, 'drop', 1000);
		const parameters = { ...base, sendTo: 'all', messageType: 'text', text: 'Hi', options: { confirmWithinSeconds: 0.5, repeatWaitSeconds: 0.2 } };
		const failed = await f.env.n8n.run({ parameters });
		expect(failed.error?.message).toMatch(/^WeChat did not confirm the send/);
		f.wechat.clearFaults();
		await new Promise((resolve) => setTimeout(resolve, 200));
		const retried = await f.env.n8n.run({ parameters });
		expect(f.wechat.accepted).toHaveLength(1);
		expect(retried.json[0]).toMatchObject({ errcode: 45065, msg_id: f.wechat.accepted[0].msgId, duplicate: true });
	});

	test('Retry On Fail of the same execution cannot send twice', async () => {
		// The first try's send is accepted but every answer is lost until its time limit; n8n retries the node.
		f.wechat.injectFault(SENDALL, 'dropAfterAccept', 1);
		f.wechat.injectFault(SENDALL, 'drop', 1000);
		setTimeout(() => f.wechat.clearFaults(), 700);
		const result = await f.env.n8n.run({
			parameters: { ...base, sendTo: 'all', messageType: 'text', text: 'Hi', options: { confirmWithinSeconds: 0.5, repeatWaitSeconds: 0.2 } },
			nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		});
		expect(result.error).toBeUndefined();
		expect(f.wechat.accepted).toHaveLength(1);
		const ids = new Set(bodies().map((body) => body.clientmsgid));
		expect(ids.size).toBe(1);
		// The retry sent nothing new: WeChat had the first try's send, this execution's own, which the output names.
		expect(result.json[0]).toMatchObject({ msg_id: f.wechat.accepted[0].msgId, errcode: 0, sent: true, duplicate: false, confirmedBy: { errcode: 45065 } });
		expect(result.hints).toEqual([]);
	});

	describe('input errors, raised before anything is sent', () => {
		test.each([
			[{ sendTo: 'tag', tagId: '={{ "" }}', messageType: 'text', text: 'Hi' }, 'Item 1, "Tag Name or ID": choose a tag, or set Send To to All Followers'],
			[{ sendTo: 'tag', tagId: 'vip', messageType: 'text', text: 'Hi' }, 'Item 1, "Tag Name or ID": "vip" is not a tag ID'],
			[{ sendTo: 'all', messageType: 'text', text: '  ' }, 'Item 1, "Text": is required'],
			[{ sendTo: 'all', messageType: 'mpnews', articleMediaId: '={{ $json.missing }}' }, 'Item 1, "Article Media ID": is required'],
			[{ sendTo: 'all', messageType: 'image', imageMediaIds: '={{ [] }}' }, 'Item 1, "Image Media IDs": give at least 1 image media ID'],
			[
				{ sendTo: 'all', messageType: 'image', imageMediaIds: 'IMAGE_1,IMAGE_2,IMAGE_3,IMAGE_4,IMAGE_5,IMAGE_6,IMAGE_7,IMAGE_8,IMAGE_9' },
				'Item 1, "Image Media IDs": WeChat sends at most 8 images, got 9',
			],
			[
				{ sendTo: 'all', messageType: 'text', text: 'Hi', options: { clientMsgId: 'x'.repeat(33) } },
				'Item 1, "Client Message ID": must be at most 32 bytes, got 33',
			],
			[
				{ sendTo: 'all', messageType: 'text', text: 'Hi', options: { clientMsgId: '春季促销活动第一波第二波' } },
				'Item 1, "Client Message ID": must be at most 32 bytes, got 36',
			],
		])('%j', async (fields, message) => {
			const result = await f.env.n8n.run({ parameters: { ...base, ...fields } });
			expect(result.error?.message).toBe(message);
			expect(f.wechat.calls).toHaveLength(0);
		});

		test('a mistake in a later item stops the run before the first item is sent', async () => {
			const result = await f.env.n8n.run({
				parameters: { ...base, sendTo: 'all', messageType: 'text', text: '={{ $json.text }}' },
				items: [{ json: { text: 'ok' } }, { json: { text: 'ok too' } }, { json: { text: '' } }],
			});
			expect(result.error?.message).toBe('Item 3, "Text": is required');
			expect(f.wechat.calls).toHaveLength(0);
		});

		test('a tag that is not on the account is refused before anything is sent, naming the account\'s tags', async () => {
			const result = await f.env.n8n.run({
				parameters: { ...base, sendTo: 'tag', tagId: '={{ $json.tag }}', messageType: 'text', text: 'Hi' },
				items: [{ json: { tag: 100 } }, { json: { tag: 999 } }],
			});
			expect(result.error?.message).toBe('Item 2, "Tag Name or ID": the account has no tag 999 (its tags: 2 星标组, 100 VIP customers)');
			expect(f.wechat.callsTo(SENDALL)).toHaveLength(0);
		});

		test('the same message to all followers and to a tag is refused: the tag\'s followers would get it twice', async () => {
			const result = await f.env.n8n.run({
				parameters: { ...base, sendTo: '={{ $json.to }}', tagId: 100, messageType: 'text', text: 'Hi', options: { clientMsgId: '={{ $json.key }}' } },
				items: [{ json: { to: 'all', key: 'a' } }, { json: { to: 'tag', key: 'b' } }],
			});
			expect(result.error?.message).toBe(
				'Item 2, "Client Message ID": the same message as item 1 to the followers of tag 100, under another Client Message ID: they would get it twice. To send it once, give these items the same Client Message ID, or leave it empty',
			);
			expect(f.wechat.callsTo(SENDALL)).toHaveLength(0);
		});

		test('a Confirmation Time Limit not longer than Wait Before Sending Again is refused', async () => {
			const result = await f.env.n8n.run({ parameters: { ...base, sendTo: 'all', messageType: 'text', text: 'Hi', options: { confirmWithinSeconds: 30 } } });
			expect(result.error?.message).toBe(
				'Item 1, "Confirmation Time Limit (Seconds)": must be longer than Wait Before Sending Again (61 s): a send whose answer was lost could never be confirmed',
			);
			expect(f.wechat.calls).toHaveLength(0);
		});

		test('two items with the same Client Message ID on different messages are refused: WeChat would send only the first', async () => {
			const result = await f.env.n8n.run({
				parameters: { ...base, sendTo: 'all', messageType: 'text', text: '={{ $json.text }}', options: { clientMsgId: 'same' } },
				items: [{ json: { text: 'Hi' } }, { json: { text: 'Ho' } }],
			});
			expect(result.error?.message).toBe(
				'Item 2, "Client Message ID": "same" is also the key of item 1, which sends another message or to other followers; WeChat would take this send as a repeat of that one and send nothing',
			);
			expect(f.wechat.calls).toHaveLength(0);
		});

		test('items with the same message to the same audience are one send, paired with every item', async () => {
			const result = await f.env.n8n.run({ parameters: { ...base, sendTo: 'all', messageType: 'text', text: 'Hi', options: { clientMsgId: 'same' } }, items: [{ json: {} }, { json: {} }] });
			expect(f.wechat.accepted).toHaveLength(1);
			expect(result.items).toEqual([expect.objectContaining({ json: expect.objectContaining({ sent: true }), pairedItem: [{ item: 0 }, { item: 1 }] })]);
		});
	});

	test('WeChat errors are explained; with Continue On Fail they become items paired with their input', async () => {
		f.wechat.injectAnswer(SENDALL, { errcode: 45028, errmsg: 'has no masssend quota' });
		const result = await f.env.n8n.run({
			parameters: { ...base, sendTo: 'tag', tagId: '={{ $json.tag }}', messageType: 'text', text: 'Hi' },
			items: [{ json: { tag: 100 } }, { json: { tag: 'x' } }, { json: { tag: 2 } }],
			continueOnFail: true,
		});
		expect(result.items.map((item) => [item.json.error, item.json.errcode, item.json.sent, item.pairedItem])).toEqual([
			['WeChat error 45028: has no masssend quota', 45028, false, [{ item: 0 }]],
			['Item 2, "Tag Name or ID": "x" is not a tag ID', undefined, undefined, [{ item: 1 }]],
			[undefined, 0, true, [{ item: 2 }]],
		]);
		expect(result.items[0].json.errorDescription).toContain('no mass-send quota');
		expect(f.wechat.accepted.map((send) => send.body.filter)).toEqual([{ is_to_all: false, tag_id: 2 }]);
	});

	describe('a send to all that waits for the admin\'s confirmation (API mass-send protection)', () => {
		const parameters = { ...base, sendTo: 'all', messageType: 'text', text: 'Hi', options: fastRepeats };
		const hint = {
			message: expect.stringMatching(/^Item 1: not sent yet\. WeChat holds this send until an administrator .* confirms it in WeChat \(API mass-send protection, 群发保护\); if nobody confirms within 30 minutes/),
			location: 'outputPane',
		};

		test.each([
			[89505, 'the send enters the confirmation'],
			[89504, 'a repeat while it still waits'],
		])('%i (%s) is output as not sent yet, with a note in the output pane', async (errcode) => {
			f.wechat.injectAnswer(SENDALL, { errcode, errmsg: 'mass send is waiting for admin confirmation' });
			const result = await f.env.n8n.run({ parameters });
			expect(result.error).toBeUndefined();
			expect(result.json).toEqual([
				{
					errcode,
					errmsg: 'mass send is waiting for admin confirmation',
					sent: false,
					duplicate: false,
					awaitingConfirmation: true,
					sendTo: 'all',
					msgtype: 'text',
					clientMsgId: expect.any(String),
					clientmsgid: expect.any(String),
				},
			]);
			expect(result.hints).toEqual([hint]);
		});

		test('after a lost answer, 89504 says the lost attempt reached WeChat and waits: not an unconfirmed send', async () => {
			f.wechat.injectFault(SENDALL, 'http502');
			f.wechat.injectAnswer(SENDALL, { errcode: 89504, errmsg: 'mass send is waiting for admin confirmation' });
			const result = await f.env.n8n.run({ parameters });
			expect(result.error).toBeUndefined();
			expect(result.json).toEqual([
				{ errcode: 89504, sent: false, duplicate: false, awaitingConfirmation: true, sendTo: 'all', msgtype: 'text', clientMsgId: expect.any(String), clientmsgid: expect.any(String) },
			]);
			expect(result.hints).toEqual([hint]);
		});
	});
});
