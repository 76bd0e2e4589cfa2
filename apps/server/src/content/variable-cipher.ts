import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { secretKeyId } from './secret-key.js';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A value as stored: base64 of IV ‖ tag ‖ ciphertext, and the id of the key that sealed it. */
export interface SealedValue {
  readonly sealed: string;
  readonly keyId: string;
}

/** Which variable a value belongs to; bound into its ciphertext, so a sealed value moved to another row no longer opens. */
export interface VariableAddress {
  readonly contentGuid: string;
  readonly name: string;
}

/** A stored value that does not open: a different key, or data changed outside envdesk. */
export class SealedValueError extends Error {
  override readonly name = 'SealedValueError';
}

const associatedData = ({ contentGuid, name }: VariableAddress) => Buffer.from(`envdesk content environment variable\0${contentGuid}\0${name}`, 'utf8');

/** AES-256-GCM with a fresh random IV per value; the content GUID and name as associated data. */
export function createVariableCipher(key: Buffer) {
  const keyId = secretKeyId(key);
  return {
    keyId,

    seal(address: VariableAddress, value: string): SealedValue {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(associatedData(address));
      const encrypted = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      return { sealed: Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64'), keyId };
    },

    /** Throws SealedValueError naming the variable (never its value) when it cannot be opened. */
    open(address: VariableAddress, { sealed, keyId: sealedWith }: SealedValue): string {
      const where = `environment variable ${address.name} of content ${address.contentGuid}`;
      if (sealedWith !== keyId) {
        throw new SealedValueError(
          `The ${where} was encrypted with key ${sealedWith}, but this server's key is ${keyId}: ` +
            'set ENVDESK_SECRET_KEY (or restore the key file in the data folder) to the key it was written with.',
        );
      }
      const bytes = Buffer.from(sealed, 'base64');
      if (bytes.length < IV_BYTES + TAG_BYTES) throw new SealedValueError(`The stored ${where} is damaged: it is too short to be a sealed value.`);
      const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(address));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch (error) {
        throw new SealedValueError(`The stored ${where} does not authenticate: it was changed or moved outside envdesk.`, { cause: error });
      }
    },
  };
}
export type VariableCipher = ReturnType<typeof createVariableCipher>;
