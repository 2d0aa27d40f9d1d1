// Just enough multipart/form-data parsing to check what an upload really carried.
export interface MultipartPart {
	name: string;
	fileName?: string;
	contentType?: string;
	data: Buffer;
}

export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] | undefined {
	const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	if (!boundary) return undefined;
	const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
	const parts: MultipartPart[] = [];
	let start = body.indexOf(delimiter);
	while (start >= 0) {
		const next = body.indexOf(delimiter, start + delimiter.length);
		if (next < 0) break;
		const section = body.subarray(start + delimiter.length + 2, next - 2);
		const headerEnd = section.indexOf('\r\n\r\n');
		if (headerEnd >= 0) {
			const headers = section.subarray(0, headerEnd).toString('utf8');
			const name = /name="([^"]*)"/.exec(headers)?.[1];
			if (name !== undefined) {
				parts.push({
					name,
					fileName: /filename="([^"]*)"/.exec(headers)?.[1],
					contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1],
					data: section.subarray(headerEnd + 4),
				});
			}
		}
		start = next;
	}
	return parts;
}
