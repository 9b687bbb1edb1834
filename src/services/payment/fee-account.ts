import { Banks } from 'vietnam-qr-pay';
import type { Config } from '../../config.ts';
import type { CommuneProfile } from '../../knowledge/commune-profile.ts';

/** The commune's fee-collection account as the transfer offer uses it. */
export interface FeeAccount {
  /** NAPAS bank identification number, 6 digits (970436 = Vietcombank). */
  bankBin: string;
  accountNumber: string;
  accountName: string;
  /** The bank's name: the profile's own, else the NAPAS list's for the BIN; null when neither knows the BIN. */
  bankName: string | null;
}

/**
 * The account to offer, or null when none is set: the environment's (`FEE_ACCOUNT_BIN`, `FEE_ACCOUNT_NUMBER`,
 * `FEE_ACCOUNT_NAME`) overrides the commune profile's. The bank name is never made up: the profile's when it names
 * the same bank, else the name the NAPAS member list (shipped with vietnam-qr-pay) gives the BIN.
 */
export function feeAccountOf(profile: CommuneProfile, config: Pick<Config, 'feeAccount'>): FeeAccount | null {
  const own = profile.feeAccount;
  const env = config.feeAccount;
  const chosen = env ?? own;
  if (!chosen) return null;
  const profileName = own && own.bankBin === chosen.bankBin ? own.bankName : null;
  return { bankBin: chosen.bankBin, accountNumber: chosen.accountNumber, accountName: chosen.accountName, bankName: profileName ?? bankNameOf(chosen.bankBin) };
}

/** "Vietcombank (Ngân hàng TMCP Ngoại Thương Việt Nam)" for 970436; null for a BIN the list does not have. */
export function bankNameOf(bin: string): string | null {
  const bank = Banks.find((b) => b.bin === bin && !b.deprecated) ?? Banks.find((b) => b.bin === bin);
  if (!bank) return null;
  return bank.shortName && bank.shortName !== bank.name ? `${bank.shortName} (${bank.name})` : bank.name;
}
