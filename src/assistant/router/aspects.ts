import type { Aspect } from '../types.ts';
import { containsPhrase } from '../../retrieval/text.ts';

/**
 * Which part of a procedure a question asks about, from folded phrases. Order matters only for the primary
 * aspect: the first listed match wins when a question names several ("giấy tờ và lệ phí").
 */
const ASPECT_PHRASES: [Aspect, string[]][] = [
  ['documents', [
    'giay to', 'giay to gi', 'ho so gom', 'ho so can', 'can gi', 'can nhung gi', 'can mang', 'mang theo', 'mang gi',
    'chuan bi gi', 'chuan bi nhung gi', 'thanh phan ho so', 'bo ho so', 'can nop gi', 'nop nhung gi', 'can giay',
    'to khai', 'mau don', 'mau to khai', 'documents', 'document', 'papers', 'paperwork',
    'what do i need', 'required', 'can co gi', 'yeu cau giay', 'can nhung giay', 'nhung giay gi', 'can giay gi', 'mang giay gi', 'ho so gi', 'giay gi', 'can chuan bi', 'chuan bi ho so', 'dem theo', 'dem gi', 'can dem', 'ky xac nhan gi',
  ]],
  ['fee', [
    'le phi', 'phi', 'bao nhieu tien', 'mat tien', 'ton tien', 'het bao nhieu', 'ton bao nhieu', 'mat bao nhieu',
    'chi phi', 'tien le phi', 'mien phi', 'dong tien', 'gia bn', 'bao nhieu 1 trang', 'mat phi', 'ton phi', 'free', 'fee', 'fees', 'cost', 'costs', 'how much', 'price', 'charge',
  ]],
  ['time', [
    'bao lau', 'may ngay', 'bao nhieu ngay', 'thoi gian', 'thoi han', 'bao gio', 'khi nao co', 'khi nao nhan',
    'mat may ngay', 'lau khong', 'lau ko', 'lay ngay', 'lay ngay duoc', 'trong bao lau', 'nhanh khong', 'trong ngay', 'how long', 'how many days', 'processing time',
    'when will', 'days',
  ]],
  ['online', [
    'online', 'truc tuyen', 'qua mang', 'tren mang', 'dich vu cong', 'vneid', 'lam tai nha', 'ngoi nha', 'khong can den',
    'khong phai den', 'qua buu dien', 'buu chinh', 'tren app', 'qua app', 'internet', 'toan trinh',
  ]],
  ['where', [
    'o dau', 'noi nao', 'cho nao', 'nop o dau', 'lam o dau', 'co quan nao', 'den dau', 'ra dau', 'where',
    'which office', 'ai giai quyet', 'xet duyet', 'ai duyet', 'ai cap', 'ai ky', 'tham quyen', 'dia chi', 'xa hay tinh', 'xa hay huyen',
    'o xa duoc khong', 'lam tai xa', 'len tinh', 'hay len tinh', 'o ubnd', 'ra ubnd', 'ra uy ban', 'o uy ban', 'xa duoc khong', 'tai xa', 'ra xa',
  ]],
  ['conditions', [
    'dieu kien', 'ai duoc', 'bat buoc', 'co duoc huong', 'duoc huong', 'duoc xet', 'de duoc', 'lam ho', 'nho nguoi', 'uy quyen', 'lam thay', 'di thay', 'truong hop nao', 'co phai', 'co can', 'doi tuong', 'yeu cau gi', 'tieu chuan', 'eligible',
    'eligibility', 'conditions', 'requirements', 'can i', 'du dieu kien',
  ]],
  ['steps', [
    'cac buoc', 'trinh tu', 'quy trinh', 'lam sao', 'lam the nao', 'cach lam', 'cach thuc', 'thu tuc the nao',
    'nhu the nao', 'tien hanh', 'how to', 'how do i', 'steps', 'process', 'procedure for', 'the nao', 'nhu nao', 'ra sao', 'buoc nao', 'nhung buoc', 'bat dau tu dau', 'lam lai sao', 'lam sao',
  ]],
  ['result', ['ket qua', 'duoc giay gi', 'nhan duoc giay', 'duoc nhan giay', 'nhan giay gi', 'cap giay gi', 'duoc cap giay', 'nhan cai gi', 'la giay gi', 'duoc cai gi', 'nhan duoc gi', 'duoc cap gi', 'nhan duoc giay gi', 'result', 'what will i get']],
  ['legal', ['can cu', 'can cu phap ly', 'luat nao', 'nghi dinh', 'thong tu', 'van ban phap luat', 'quy dinh o dau', 'legal basis', 'law']],
];

/** The aspects a folded question names, in priority order; empty when it names none. */
export function detectAspects(folded: string): Aspect[] {
  const found: Aspect[] = [];
  for (const [aspect, phrases] of ASPECT_PHRASES) {
    if (phrases.some((p) => containsPhrase(folded, p))) found.push(aspect);
  }
  return found;
}

const ALL_PHRASES = ASPECT_PHRASES.flatMap(([, ps]) => ps).sort((a, b) => b.length - a.length);

/** The folded message with every aspect phrase taken out: what is left says whether it names a procedure. */
export function withoutAspectPhrases(folded: string): string {
  let rest = ` ${folded} `;
  for (const p of ALL_PHRASES) rest = rest.split(` ${p} `).join(' ');
  return rest.trim();
}
