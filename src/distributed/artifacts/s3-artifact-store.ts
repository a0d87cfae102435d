/**
 * Artifacts kept in an S3 bucket (or an S3-compatible server: MinIO, s3rver...), for outputs too large
 * for Redis. The AWS SDK is loaded on first use only, so nx-parallel without S3 never loads it.
 *
 * The SDK reads its settings from the usual places by itself: credentials (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE, ~/.aws, roles), region (AWS_REGION or the
 * profile) and a custom endpoint (AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL). Two things it does not
 * read: AWS_DEFAULT_REGION (the AWS CLI's name, taken here when AWS_REGION is unset), and path-style
 * addressing, which has no env variable: it is turned on here when an endpoint variable is set, since
 * S3-compatible servers rarely serve `bucket.host` names.
 */
import { createReadStream } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import type * as S3 from '@aws-sdk/client-s3';
import { requirePackages, S3_PACKAGE } from '../peer-packages';
import { ArtifactError } from '../../errors';
import type { ArtifactStore } from './artifact-store';
import { spoolToTempFile } from './archive-stream';

export interface S3Location {
  bucket: string;
  /** Without leading or trailing `/`; '' for the bucket's root. */
  prefix: string;
}

const S3_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/** `s3://bucket[/prefix]`, or undefined when the text is not such a URL. */
export function parseS3Url(url: string): S3Location | undefined {
  const match = S3_URL.exec(url);
  if (!match) return undefined;
  return { bucket: match[1]!, prefix: (match[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

export interface S3ArtifactStoreOptions {
  /** `s3://bucket[/prefix]`; objects go to `<prefix>/<key>`. */
  url: string;
}

export class S3ArtifactStore implements ArtifactStore {
  readonly location: string;
  private readonly bucket: string;
  private readonly prefix: string;
  private sdk?: { module: typeof S3; client: S3.S3Client };

  constructor(options: S3ArtifactStoreOptions) {
    const location = parseS3Url(options.url);
    if (!location) {
      throw new ArtifactError(`'${options.url}' is not an S3 URL: write s3://bucket/prefix.`, options.url);
    }
    this.bucket = location.bucket;
    this.prefix = location.prefix;
    this.location = `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ''}`;
  }

  /**
   * A single PutObject takes the length before the body, and an archive's length is known only once
   * it is packed: the archive is spooled to a temp file first, then sent from it as a stream.
   */
  async put(key: string, archive: Readable): Promise<void> {
    const { module, client } = this.connect();
    const spooled = await spoolToTempFile(archive);
    try {
      await this.call('store', key, () =>
        client.send(
          new module.PutObjectCommand({
            Bucket: this.bucket,
            Key: this.objectKey(key),
            Body: createReadStream(spooled.path),
            ContentLength: spooled.bytes,
            // Given, the SDK sends no checksum trailer (aws-chunked encoding, which not every S3-compatible server reads).
            ChecksumSHA256: Buffer.from(spooled.sha256, 'hex').toString('base64'),
          }),
        ),
      );
    } finally {
      await spooled.remove();
    }
  }

  /** The object's body as it arrives; a failure while reading it fails the stream with an ArtifactError. */
  async get(key: string): Promise<Readable> {
    const { module, client } = this.connect();
    const response = await this.call('read', key, () =>
      client.send(new module.GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) })),
    );
    const body = await this.call('read', key, () => {
      // In Node the SDK answers with the HTTP response itself, a Readable.
      if (!(response.Body instanceof Readable)) throw new Error('the response has no readable body');
      return Promise.resolve(response.Body);
    });
    const archive = new PassThrough();
    body.once('error', (error) => archive.destroy(this.failure('read', key, error)));
    // A reader that stops early (a refused archive) releases the connection.
    archive.once('close', () => body.destroy());
    return body.pipe(archive);
  }

  async delete(keys: readonly string[]): Promise<void> {
    const { module, client } = this.connect();
    // DeleteObjects takes at most 1000 keys a request.
    for (let start = 0; start < keys.length; start += 1000) {
      const batch = keys.slice(start, start + 1000);
      const response = await this.call('delete', batch.join(', '), () =>
        client.send(
          new module.DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((key) => ({ Key: this.objectKey(key) })), Quiet: true },
          }),
        ),
      );
      const failed = response.Errors?.[0];
      if (failed) {
        throw new ArtifactError(
          `Could not delete '${failed.Key}' from ${this.location}: ${failed.Code} ${failed.Message}`,
          this.location,
          failed.Key,
        );
      }
    }
  }

  private objectKey(key: string): string {
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  private connect(): { module: typeof S3; client: S3.S3Client } {
    if (!this.sdk) {
      requirePackages([S3_PACKAGE]);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const module = require('@aws-sdk/client-s3') as typeof S3;
      const env = process.env;
      const endpoint =
        !isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) && (env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
      const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
      this.sdk = { module, client: new module.S3Client({ region, forcePathStyle: Boolean(endpoint) }) };
    }
    return this.sdk;
  }

  /** Runs one S3 request; its failure becomes an ArtifactError that says what to set or check. */
  private async call<T>(action: 'store' | 'read' | 'delete', key: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.failure(action, key, error);
    }
  }

  private failure(action: 'store' | 'read' | 'delete', key: string, error: unknown): ArtifactError {
    return new ArtifactError(
      `Could not ${action} the outputs archive '${key}' in ${this.location}: ${this.explain(error)}`,
      this.location,
      key,
      { cause: error },
    );
  }

  private explain(error: unknown): string {
    const name = error instanceof Error ? error.name : '';
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    switch (name) {
      case 'NoSuchKey':
      case 'NotFound':
        return 'there is no such object: it was never stored, or it was removed (a lifecycle rule?). Run the task again.';
      case 'NoSuchBucket':
        return `the bucket '${this.bucket}' does not exist. Create it, or point the option artifactStore at an existing one.`;
      case 'CredentialsProviderError':
        return (
          `no AWS credentials were found (${message}). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ` +
          `(or AWS_PROFILE), or run where an instance or task role provides them.`
        );
      case 'InvalidAccessKeyId':
      case 'SignatureDoesNotMatch':
      case 'AccessDenied':
        return (
          `S3 refused the credentials (${name}: ${message}). Check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and ` +
          `AWS_SESSION_TOKEN, and that they may get, put and delete objects in '${this.bucket}'.`
        );
      default:
        break;
    }
    if (/region is missing/i.test(message)) return 'no AWS region is set. Set AWS_REGION.';
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'ECONNRESET') {
      return `S3 could not be reached (${code}: ${message}). Check the network, and AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL if set.`;
    }
    return `${name || 'Error'}: ${message}`;
  }
}

function isTrue(value: string | undefined): boolean {
  return value?.toLowerCase() === 'true';
}
