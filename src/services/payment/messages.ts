import { choiceId, type Choice, type Language, type ReplyMessage } from '../../domain/types.ts';
import type { Procedure } from '../../knowledge/procedure.ts';
import type { FeeAccount } from './fee-account.ts';

/**
 * What the citizen reads about a bank transfer of the fee, in Vietnamese (and English for a conversation in
 * English). The account is only ever the one the profile or the environment gives, the amount only the one the
 * record states; and every offer says plainly that a transfer is cashless but is not an online payment in the
 * province's figures, while paying on the portal after submitting is.
 */
const vi = (lang: Language) => lang === 'vi';

export const claimChoice = (lang: Language): Choice => ({ id: choiceId.guide('transferred'), label: vi(lang) ? 'Tôi đã chuyển khoản' : 'I have transferred' });

/** "50.000 đồng" / "50,000 VND". */
export function formatAmount(amount: number, lang: Language): string {
  const digits = String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, vi(lang) ? '.' : ',');
  return vi(lang) ? `${digits} đồng` : `${digits} VND`;
}

export interface OfferFacts {
  procedure: Pick<Procedure, 'code' | 'title' | 'url'>;
  account: FeeAccount;
  amount: number | null;
  memo: string;
  /** The QR code goes with the message as an image; false: the details as text only. */
  withImage: boolean;
  hasDossierCode: boolean;
}

export function offerMessage(lang: Language, f: OfferFacts, imageUrl: string | null): ReplyMessage {
  const { account: a } = f;
  const bank = a.bankName ?? (vi(lang) ? `mã ngân hàng (BIN) ${a.bankBin}` : `bank code (BIN) ${a.bankBin}`);
  const lines = vi(lang)
    ? [
        `Chuyển khoản lệ phí (VietQR) cho thủ tục ${f.procedure.title} (${f.procedure.code}).`,
        'Bạn có thể chuyển khoản vào tài khoản thu phí, lệ phí sau:',
        `• Tên tài khoản: ${a.accountName}`,
        `• Ngân hàng: ${bank}`,
        `• Số tài khoản: ${a.accountNumber}`,
        f.amount !== null
          ? `• Số tiền: ${formatAmount(f.amount, lang)} (theo danh mục thủ tục)`
          : '• Số tiền: Trung tâm sẽ báo số tiền phải nộp cho trường hợp của bạn; mã QR không ghi sẵn số tiền.',
        `• Nội dung chuyển khoản: ${f.memo}`,
        f.withImage ? 'Quét mã QR trong ảnh bằng ứng dụng ngân hàng để điền sẵn các thông tin trên.' : 'Bạn nhập các thông tin trên vào ứng dụng ngân hàng của mình.',
        ...(f.hasDossierCode ? [] : ['Nếu chưa nộp hồ sơ, bạn nên nộp trước rồi mới chuyển khoản, để nội dung chuyển khoản ghi mã hồ sơ và cán bộ đối chiếu dễ hơn.']),
        'Lưu ý: chuyển khoản là thanh toán không dùng tiền mặt, nhưng không được tính là thanh toán trực tuyến trong số liệu của tỉnh. Cách được tính là thanh toán trực tuyến: sau khi nộp hồ sơ trên Cổng Dịch vụ công, vào "Quản lý hồ sơ" → "Yêu cầu thanh toán" và thanh toán qua Nền tảng thanh toán.',
        'Chuyển khoản xong, bạn bấm "Tôi đã chuyển khoản" để cán bộ kiểm tra.',
        `Nguồn: ${f.procedure.url}`,
      ]
    : [
        `Paying the fee by bank transfer (VietQR) for ${f.procedure.title} (${f.procedure.code}).`,
        'You can transfer to this fee-collection account:',
        `• Account name: ${a.accountName}`,
        `• Bank: ${bank}`,
        `• Account number: ${a.accountNumber}`,
        f.amount !== null
          ? `• Amount: ${formatAmount(f.amount, lang)} (as the procedure listing states)`
          : '• Amount: the Center will tell you the amount for your case; the QR code does not fill it in.',
        `• Transfer note: ${f.memo}`,
        f.withImage ? 'Scan the QR code in the picture with your banking app to fill these in.' : 'Enter these details in your banking app.',
        ...(f.hasDossierCode ? [] : ['Once you have the dossier code, transfer after submitting so the note carries it and staff can match it easily.']),
        'Note: a transfer is cashless, but it does not count as an online payment in the province’s figures. What counts: after submitting on the National Public Service Portal, open "Quản lý hồ sơ" → "Yêu cầu thanh toán" and pay through the Payment Platform.',
        'When you have transferred, press "I have transferred" so staff can check it.',
        `Source: ${f.procedure.url}`,
      ];
  const alt = vi(lang)
    ? `Mã VietQR chuyển khoản: ${a.accountName}, số tài khoản ${a.accountNumber}, nội dung ${f.memo}`
    : `VietQR transfer code: ${a.accountName}, account ${a.accountNumber}, note ${f.memo}`;
  return {
    text: lines.join('\n'),
    choices: [claimChoice(lang)],
    link: { url: f.procedure.url, label: vi(lang) ? 'Trang thủ tục chính thức' : 'Official procedure page' },
    ...(imageUrl ? { image: { url: imageUrl, alt } } : {}),
  };
}

export function claimedMessage(lang: Language, code: string): ReplyMessage {
  return {
    text: vi(lang)
      ? `Đã ghi nhận: bạn báo đã chuyển khoản lệ phí cho hồ sơ ${code}. Cán bộ sẽ đối chiếu với tài khoản thu phí và báo lại cho bạn tại đây. Ghi nhận này chưa phải là xác nhận đã nhận được tiền.`
      : `Noted: you say you have transferred the fee for dossier ${code}. Staff will check the fee account and tell you here. This is not yet a confirmation that the money arrived.`,
  };
}

export function alreadyClaimedMessage(lang: Language, code: string): ReplyMessage {
  return {
    text: vi(lang)
      ? `Bạn đã báo chuyển khoản cho hồ sơ ${code}; cán bộ đang đối chiếu và sẽ báo lại cho bạn tại đây.`
      : `You have already reported a transfer for dossier ${code}; staff are checking it and will tell you here.`,
  };
}

export function alreadyConfirmedMessage(lang: Language, code: string): ReplyMessage {
  return {
    text: vi(lang) ? `Khoản lệ phí của hồ sơ ${code} đã được cán bộ xác nhận, bạn không cần chuyển thêm.` : `The fee for dossier ${code} has already been confirmed by staff; nothing more to pay.`,
  };
}

export function askCodeMessage(lang: Language): ReplyMessage {
  return {
    text: vi(lang)
      ? 'Để cán bộ đối chiếu khoản chuyển, bạn gửi giúp mình mã hồ sơ (in trên giấy tiếp nhận hoặc trong mục "Quản lý hồ sơ" trên Cổng Dịch vụ công), rồi bấm "Tôi đã chuyển khoản" lần nữa.'
      : 'So that staff can match your transfer, please send the dossier code (on the receipt, or under "Quản lý hồ sơ" on the portal), then press "I have transferred" again.',
  };
}

export function unknownDossierMessage(lang: Language, code: string): ReplyMessage {
  return {
    text: vi(lang)
      ? `Mình chưa lưu hồ sơ mã ${code} trong các hồ sơ của bạn. Bạn gửi mã hồ sơ để mình lưu lại trước, rồi bấm "Tôi đã chuyển khoản" lần nữa.`
      : `I have not stored dossier ${code} among yours yet. Send me the dossier code first, then press "I have transferred" again.`,
  };
}

export function confirmedNotice(lang: Language, code: string): ReplyMessage {
  return {
    text: vi(lang)
      ? `Cán bộ đã xác nhận nhận được khoản chuyển khoản lệ phí cho hồ sơ ${code}. Cảm ơn bạn.`
      : `Staff have confirmed receiving your fee transfer for dossier ${code}. Thank you.`,
  };
}

export function rejectedNotice(lang: Language, code: string, reason: string | null): ReplyMessage {
  const why = reason ? (vi(lang) ? ` Lý do: ${reason}` : ` Reason: ${reason}`) : '';
  return {
    text: vi(lang)
      ? `Cán bộ chưa xác nhận được khoản chuyển khoản lệ phí cho hồ sơ ${code}.${why}\nBạn vui lòng kiểm tra lại giao dịch; cần hỗ trợ, bạn nhắn "gặp cán bộ".`
      : `Staff could not confirm a fee transfer for dossier ${code}.${why}\nPlease check the transaction; for help, write "talk to staff".`,
  };
}
