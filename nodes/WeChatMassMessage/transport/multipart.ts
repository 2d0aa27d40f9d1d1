import { randomBytes } from 'crypto';

/** A file for WeChat's multipart uploads; kept as a Buffer so a retry can send it again. */
export interface MultipartFile {
	fieldName: string;
	fileName: string;
	contentType: string;
	data: Buffer;
	/** Extra text fields sent before the file, e.g. a video's description. */
	fields?: Record<string, string>;
}

export function buildMultipartBody(file: MultipartFile): { body: Buffer; contentType: string } {
	const boundary = `----n8nWeChatMass${randomBytes(12).toString('hex')}`;
	const parts: Buffer[] = [];
	for (const [name, value] of Object.entries(file.fields ?? {})) {
		parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`, 'utf8'));
	}
	parts.push(
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.fieldName)}"; filename="${quote(file.fileName)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
			'utf8',
		),
		file.data,
		Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
	);
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

function quote(value: string): string {
	return value.replace(/["\r\n\\]/g, '_');
}
