import { containsPhrase, fold } from '../../retrieval/text.ts';
import type { EmergencyKind } from '../types.ts';

/**
 * The deterministic part of the router: phrase rules over the folded message. Hand-written on purpose: it must
 * work offline, decide in microseconds, and stay the safety net when an LLM router is configured. Retrieval
 * decides between a procedure question, a follow-up and an unknown procedure (see route.ts).
 */

const has = (folded: string, phrases: readonly string[]) => phrases.some((p) => containsPhrase(folded, p));

// ---- emergencies ---------------------------------------------------------------------------------------------

const FIRE = [
  'chay nha', 'nha chay', 'nha bi chay', 'dang chay', 'bi chay', 'boc chay', 'hoa hoan', 'chay lon', 'chay rung',
  'chay no', 'no binh gas', 'ro ri gas', 'ro gas', 'xi gas', 'khoi lua', 'khoi den', 'lua boc', 'chay cho', 'chay xuong',
  'chay kho', 'chay quan', 'chay cua hang', 'chay xe', 'xe boc chay', 'fire', 'burning', 'on fire', 'gas leak',
  'cuu hoa', 'chay dien', 'chap dien', 'xi ga', 'xi gas', 'mui ga', 'mui gas', 'tia lua', 'no tung', 'phat no', 'explosion', 'exploded', 'explode', 'vua no', 'bi no', 'mui khet', 'boc khoi', 'khoi mu mit', 'ngat khoi', 'khoi bay',
  'smoke',
];
/** Rescue (114 as well): someone in water, trapped or buried. */
const RESCUE = [
  'mac ket', 'bi ket trong', 'duoi nuoc', 'chet duoi', 'bi cuon troi', 'nuoc cuon', 'lu cuon', 'sat lo', 'sap nha',
  'nha bi sap', 'nha sap roi', 'drowning', 'trapped', 'cuu nan', 'roi xuong gieng', 'roi xuong song', 'nga xuong ao', 'dang chim',
  'rot xuong', 'roi xuong nuoc', 'nuoc lu', 'lu dang', 'nuoc dang vao', 'dang dang vao', 'leo len mai', 'ngap nha', 'ngap het',
  'ket trong thang may', 'ket thang may', 'stuck in', 'ket tren', 'ket o tren', 'nuoc len toi', 'nuoc ngap toi',
  'khong thay noi len', 'tut xuong', 'chim xuong', 'bi ket', 'len toi nguc', 'len toi co',
];
const MEDICAL = [
  'cap cuu', 'tai nan', 'bi tai nan', 'bat tinh', 'ngat xiu', 'xiu', 'dot quy', 'dau tim', 'nhoi mau',
  'kho tho', 'khong tho', 'ngung tho', 'chay mau', 'mat mau', 'gay xuong', 'ngo doc', 'uong thuoc sau', 'tu tu',
  'co giat', 'sot cao', 'dang de', 'sap de', 'vo oi', 'bi dien giat', 'dien giat', 'bi ran can', 'bi cho can', 'bi thuong nang', 'bat dong', 'mau chay', 'non mua',
  'la di', 'meo mieng', 'noi ngong', 'yeu mot ben', 'liet nua nguoi', 'te xe', 'nga xe', 'dau nguc', 'collapsed',
  'isn t breathing', 'not breathing', 'chest pain', 'vo nuoc oi', 'oi vo', 'ngat', 'tim ngung dap', 'tim tai',
  'me man', 'khong tinh', 'khong day duoc', 'dau du doi', 'ho ra mau', 'non ra mau', 'chay mau khong cam', 'bong nang',
  'bi bong', 'trung doc', 'ran doc', 'ong chich', 'seizure', 'choking', 'hoc xuong', 'mac nghen',
  'nguy kich', 'hon me', 'nhieu mau', 'dap dau', 'uong nham', 'thuoc tru sau', 'thuoc chuot', 'an nham', 'soc phan ve', 'chuyen da', 'ra mau', 'mat tho', 'tim ngung', 'co giat', 'sui bot mep', 'labour', 'giving birth', 'ambulance', 'heart attack', 'unconscious', 'bleeding', 'not breathing', 'stroke',
  'overdose', 'injured', 'accident', 'xe cap cuu', 'goi xe cap cuu',
];
const POLICE = [
  'cuop', 'bi cuop', 'an cuop', 'trom', 'bi trom', 'ke trom', 'danh nhau', 'bi danh', 'danh toi', 'danh em', 'danh vo',
  'danh con', 'chong danh', 'dam chem', 'dam nhau', 'chem nhau', 'bat coc', 'hanh hung', 'de doa giet', 'doa giet',
  'giet nguoi', 'bao luc', 'bao hanh', 'xam hai', 'hiep dam', 'quay roi', 'cuong buc', 'lua dao', 'dot nhap',
  'pha cua', 'dang bi theo doi', 'co sung', 'cam dao', 'robbery', 'robbed', 'thief', 'stolen', 'attacked',
  'assault', 'kidnap', 'breaking into', 'break in', 'intruder', 'nguoi la du', 'du len xe', 'bat di', 'bi bat', 'cho di mat', 'giat do', 'giat tui', 'bi giat', 'doa chem', 'doa danh', 'xong vao', 'dap pha', 'doa dot', 'dot nha', 'ma tau', 'dao phay', 'hung khi', 'giat tui',
  'giat day chuyen', 'snatch', 'snatched', 'stole', 'de doa', 'danh dap', 'ke gian', 'lay trom', 'mat tich',
  'threatening', 'cay cua', 'pha khoa', 'be khoa', 'danh ghen', 'vac dao', 'cam dao chem', 'chem nguoi', 'violence', 'police', 'cong an toi ngay', 'goi cong an', 'khung bo',
];
/**
 * Strong signs the event is happening now. Folded forms collide ("dang" is also đăng in đăng ký, "ngay" is ngày,
 * "gap" is gặp), so only unambiguous phrases are listed.
 */
const URGENT = [
  'cuu', 'cuu voi', 'cuu toi', 'cuu em', 'khan cap', 'rat gap', 'gap gap', 'help', 'urgent', 'right now', 'now',
  'nhanh len', 'giup voi', 'lam sao bay gio', 'phai lam sao bay gio', 'goi so nao', 'goi ai', 'dang bi', 'dang chay',
  'vua bi', 'vua moi', 'ngay bay gio', 'luc nay', 'hien dang', 'dang o', 'dang nam',
];
/** Words of paperwork: with them and without urgency, an emergency word is about a procedure (chứng tử do tai nạn). */
const PAPERWORK = [
  'thu tuc', 'giay', 'giay to', 'dang ky', 'xin cap', 'cap giay', 'ho so', 'chung tu', 'khai tu', 'chung nhan',
  'giay phep', 'bao hiem', 'tro cap', 'boi thuong', 'phong chay', 'chua chay', 'pccc', 'tham dinh', 'nghiem thu',
  'xac nhan', 'cong chung', 'chung thuc', 'tu tuat', 'mai tang', 'procedure', 'certificate', 'permit', 'insurance',
  'ho tro', 'thiet hai', 'khac phuc', 'trinh bao', 'to giac', 'huong', 'le phi', 'an toan', 'can cuoc', 'cccd',
  'cap lai', 'lam lai', 'ho chieu', 'bang lai', 'so do', 'so hong', 'tuyen bo', 'lam don', 'gui ai', 'bhyt', 'bhxh', 'che do', 'passport', 'report the loss', 'lost my',
];

export interface EmergencyMatch {
  kind: EmergencyKind;
  /** Other services that the message also calls for (a fire with injured people: 115 as well). */
  also: EmergencyKind[];
}

/** "đang đánh", "đang chém": violence under way, whatever the object. */
const VIOLENCE_NOW = /\b(dang|vua) (bi )?(danh|chem|dam|dap|cuop|giat|dot|bop co|siet co|hanh hung)\b/;

export function detectEmergency(folded: string): EmergencyMatch | null {
  const kinds: EmergencyKind[] = [];
  if (VIOLENCE_NOW.test(folded) && !has(folded, POLICE)) kinds.push('police');
  const medical = has(folded, MEDICAL);
  if (has(folded, FIRE)) kinds.push('fire');
  // a drowned child who is not breathing needs the ambulance first; a rescue still under way needs 114
  if (has(folded, RESCUE) && !medical) kinds.push('fire');
  if (has(folded, POLICE)) kinds.push('police');
  if (medical) kinds.push('medical');
  if (has(folded, RESCUE) && medical) kinds.push('fire');
  if (!kinds.length) return null;
  // "giấy chứng tử cho người chết do tai nạn", "thủ tục phòng cháy chữa cháy": paperwork about an event, not one
  // happening now. With urgency words as well it is still an emergency: a needless emergency number costs a few
  // seconds, a missed one may cost a life.
  if (has(folded, PAPERWORK) && !has(folded, URGENT)) return null;
  const [kind, ...also] = kinds;
  return { kind: kind!, also };
}

// ---- small talk ---------------------------------------------------------------------------------------------

const GREETING_WORDS = new Set(
  (
    'xin chao chao ban ad admin anh chi em a ah oi alo hello hi hey good morning afternoon evening bot ' +
    'cam on thank thanks you nhieu ok oke okay vang da u uh duoc roi tot qua tuyet voi hay lam tam biet bye goodbye ' +
    'hen gap lai buoi sang chieu toi nhe nha nhe ạ minh toi co the la ai gi lam duoc nhung what can do who are help ' +
    'giup gioi thieu ve chuc nang ho tro cua huu ich vay nhieu with me chuc can bo xa ngay moi vui ve khoe'
  ).split(' '),
);
const GREETING_PHRASES = [
  'xin chao', 'chao', 'hello', 'hi', 'hey', 'alo', 'cam on', 'thank', 'thanks', 'tam biet', 'bye', 'ban la ai',
  'lam duoc gi', 'giup duoc gi', 'ho tro duoc gi', 'what can you do', 'who are you', 'good morning', 'ok', 'oke',
  'okay', 'chuc nang', 'gioi thieu', 'bat dau', 'start', 'help', 'ad oi', 'admin oi', 'bot oi', 'vui ve', 'huu ich',
  'ho tro duoc nhung gi', 'lam duoc nhung gi', 'help me with',
];

/** Words of small talk and politeness; with a marker and no other content, a message is small talk. */
const SMALL_TALK_EXTRA = new Set(
  ('tks thks thx ty hieu roi ro rang de hieu vang da a ah ak nhe nha nhen ne hen mai hoi tiep em e anh chi co chu ' +
   'ban bot oi alo ai day khong ko k hok viec nhung gi o day the nao sao rat lam nhieu qua that buoi toi sang trua ' +
   'chuc vui ve ngu ngon khoe khong minh toi tui chao xin hello hi hey there thank thanks you very much good great ' +
   'nice helpful can i ask what things here gioi hay nhanh ghe tuyet chatbot nay thong tin tot ok oke uh dc duoc la nguoi that hay may vay').split(' '),
);
const SMALL_TALK_MARKERS = [
  ...GREETING_PHRASES, 'tks', 'thks', 'thx', 'hieu roi', 'ro rang', 'de hieu', 'huu ich', 'co ai khong', 'co ai ko',
  'hoi nhung gi', 'hoi nhung viec gi', 'hoi duoc gi', 'hoi gi', 'ngu ngon', 'buoi toi vui ve', 'ban la bot', 'la bot a',
  'are you a bot', 'can i ask', 'gioi qua', 'hay qua', 'nhanh ghe', 'nhanh qua', 'tuyet voi', 'great job', 'good bot',
  'nguoi that hay may', 'nguoi hay may', 'are you human', 'la may a', 'la nguoi hay', 'robot', 'tu dong ha',
  'are you an ai', 'an ai', 'tro ly ao', 'chao nhe', 'thoi chao', 'kinh chao', 'chao buoi', 'giup nhung gi',
  'nhung viec gi', 'what kind of things', 'help me with', 'cam on', 'chi dan tan tinh', 'de hieu',
];

/** A message that is only a greeting, thanks, goodbye or "what can you do". */
export function isSmallTalk(folded: string): boolean {
  const words = folded.split(' ').filter(Boolean);
  if (!words.length || words.length > 14) return false;
  if (!has(folded, SMALL_TALK_MARKERS)) return false;
  const other = words.filter((w) => !GREETING_WORDS.has(w) && !SMALL_TALK_EXTRA.has(w));
  return other.length <= 1;
}

/** A small-talk marker anywhere in the message; the pipeline uses it when nothing else matches. */
export function hasSmallTalkMarker(folded: string): boolean {
  return has(folded, SMALL_TALK_MARKERS);
}

export type SmallTalkKind = 'hello' | 'thanks' | 'bye' | 'capabilities';
export function smallTalkKind(folded: string): SmallTalkKind {
  if (has(folded, ['cam on', 'thank', 'thanks', 'tks', 'thks', 'thx', 'hieu roi', 'ro rang', 'huu ich'])) return 'thanks';
  if (has(folded, ['tam biet', 'bye', 'goodbye', 'hen gap lai', 'chao nhe', 'thoi chao'])) return 'bye';
  if (has(folded, ['robot', 'tu dong ha', 'are you an ai', 'an ai', 'giup nhung gi', 'nhung viec gi', 'what kind of things', 'hoi nhung gi', 'hoi nhung viec gi', 'hoi duoc gi', 'hoi gi', 'are you a bot', 'ban la bot', 'la bot a', 'can i ask', 'lam duoc gi', 'giup duoc gi', 'ho tro duoc gi', 'ho tro duoc nhung gi', 'lam duoc nhung gi', 'help me with', 'what can you do', 'who are you', 'ban la ai', 'chuc nang', 'gioi thieu', 'help'])) {
    return 'capabilities';
  }
  return 'hello';
}

// ---- a person, a case ----------------------------------------------------------------------------------------

const HUMAN = [
  'gap can bo', 'gap nguoi', 'noi chuyen voi can bo', 'noi chuyen voi nguoi', 'nguoi that', 'nguoi that su',
  'nhan vien', 'tong dai vien', 'chuyen can bo', 'chuyen cho can bo', 'chuyen nguoi', 'can bo ho tro', 'can bo tra loi',
  'gap truc tiep can bo', 'lien he can bo', 'goi can bo', 'cho gap', 'muon gap', 'gap lanh dao', 'gap chu tich',
  'human', 'real person', 'talk to a person', 'talk to someone', 'agent', 'operator', 'staff', 'bot vo dung',
  'vo dung', 'khong giup duoc gi', 'tra loi linh tinh', 'tra loi sai', 'khong hieu gi', 'may khong hieu', 'ban khong hieu',
  'bot ngu', 'ngu the', 'chan qua', 'khong tra loi dung', 'hoi mai khong', 'useless', 'not helpful', 'doesnt help',
  'khong phai may', 'khong muon noi chuyen voi may', 'khong muon noi chuyen voi bot', 'nguoi tra loi',
  'co ai truc', 'ai truc', 'so can bo', 'so dien thoai can bo', 'sdt can bo', 'zalo can bo', 'can bo goi lai',
  'goi lai cho toi', 'goi lai cho em', 'admin dau', 'ad dau', 'hoi truc tiep', 'noi chuyen voi may chan', 'officer',
  'speak with', 'speak to', 'call me back', 'con nguoi', 'toan may', 'may moc', 'ai do goi', 'ai goi lai', 'goi lai',
  'chuyen cho chi', 'chuyen cho anh', 'chuyen cho co', 'chuyen cho chu', 'chuyen may', 'khong rang dien thoai',
  'co ai o day', 'nguoi nao tra loi', 'noi chuyen truc tiep', 'gap truc tiep', 'phan anh truc tiep', 'lanh dao xa',
  'so lien he', 'lien he lai', 'cho xin so', 'xin so dien thoai', 'co so dien thoai', 'so dien thoai cua', 'sdt bo phan',
  'sdt cua', 'so dien thoai bo phan', 'bo phan mot cua', 'chuyen may', 'xin sdt', 'sdt cong an', 'sdt can bo',
  'nguoi phu trach', 'lien he voi nguoi', 'tiep cong dan',
];

export function wantsHuman(folded: string): boolean {
  return has(folded, HUMAN);
}

/** An explicit request for staff, which small-talk words around it do not soften. */
export function wantsHumanStrongly(folded: string): boolean {
  return has(folded, ['gap can bo', 'cho gap', 'muon gap', 'chuyen can bo', 'talk to a person', 'real person', 'human', 'staff', 'officer']);
}

/**
 * Dossier (case) codes as the one-stop-shop systems print them on receipts: "H12.22-250101-0001",
 * "000.00.12.H12-250101-0001", "G22.99-241231-0042". Checked on the raw text (folding would split them).
 */
export const DOSSIER_CODE = /\b(?:[A-Z]\d{2}(?:\.\d{1,3})*|\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-\d{6}-\d{3,6}\b/i;

const CASE_STATUS = [
  'ho so cua toi', 'ho so cua minh', 'ho so cua em', 'ho so da nop', 'ho so toi nop', 'ho so minh nop', 'ho so em nop',
  'tinh trang ho so', 'tra cuu ho so', 'ho so den dau', 'ho so toi den dau', 'ho so xu ly den dau', 'ma ho so',
  'so bien nhan', 'phieu hen', 'giay hen', 'sao chua co ket qua', 'chua co ket qua', 'chua tra ket qua', 'qua hen',
  'tre hen', 'bao gio co ket qua ho so', 'ho so bi tra', 'ho so bi tu choi', 'ho so cho duyet', 'dang cho duyet',
  'ket qua ho so', 'ho so cua tui', 'ho so nop hom', 'application status', 'my application', 'my case', 'case status', 'track my', 'nop roi ma chua', 'nop lau roi',
];

/** A dossier already filed ("nộp … rồi", "tuần trước nộp") that the citizen is waiting for ("chưa thấy", "xong chưa"). */
const FILED = ['nop', 'da nop', 'gui ho so', 'lam ho so', 'nop don', 'submitted', 'applied', 'filed', 'phieu hen', 'giay hen', 'hen tra'];
const PAST = [
  'roi', 'tuan truoc', 'thang truoc', 'hom qua', 'hom truoc', 'hom bua', 'bua truoc', 'tuan roi', 'thang roi',
  'ngay roi', 'tu dau thang', 'dau thang', 'hoi thang', 'tu hoi', 'last week', 'yesterday', 'ago', 'already', 'hom thu', 'lau roi',
];
const WAITING = [
  'chua thay', 'chua co', 'chua nhan', 'van chua', 'sao lau', 'lau the', 'lau vay', 'bao gio thi', 'bao gio nhan',
  'lay duoc chua', 'duoc chua', 'tra giup', 'xem giup', 'kiem tra giup', 'chua tra', 'chua ai goi', 'chua thay ai',
  'khi nao co ket qua', 'toi gio chua', 'den gio chua', 'check giup', 'ra sao roi', 'the nao roi', 'xong chua',
  'khi nao co quyet dinh', 'co quyet dinh', 'duyet chua', 'approved yet', 'ready yet', 'dang xu ly', 'xu ly hoai',
  'co chua', 'khi nao xong', 'bao gio xong', 'has it been', 'status', 've chua', 'muon biet', 'chung nao', 'bao gio lay',
  'qua han', 'lau qua', 'khi nao',
];

export function asksCaseStatus(raw: string, folded: string): boolean {
  return DOSSIER_CODE.test(raw) || has(folded, CASE_STATUS) || (has(folded, FILED) && has(folded, PAST) && has(folded, WAITING)) || (has(folded, ['dang xu ly', 'xu ly hoai']) && has(folded, ['ho so']));
}

// ---- out of scope ---------------------------------------------------------------------------------------------

const OUT_OF_SCOPE = [
  // weather, prices, markets
  'thoi tiet', 'troi mua', 'mua khong', 'nang nong', 'nhiet do', 'bao so', 'weather', 'gia vang', 'gia xang',
  'gia lua', 'gia heo', 'gia lon', 'gia ca phe', 'gia tieu', 'gia dien thoai', 'ty gia', 'chung khoan', 'co phieu',
  'bitcoin', 'tien ao', 'crypto', 'xo so', 'so de', 'lo de', 'ket qua xo so', 'gia bao nhieu mot', 'gia thit',
  // politics
  'chinh tri', 'dang cong san', 'tong bi thu', 'chu tich nuoc', 'thu tuong', 'bieu tinh', 'bau cu tong thong',
  'trump', 'biden', 'putin', 'chien tranh', 'bien dong', 'politics', 'president', 'election',
  // personal advice, health, love, fortune
  'tu vi', 'xem boi', 'tuoi ty', 'tuoi suu', 'tuoi dan', 'tuoi mao', 'tuoi thin', 'tuoi ngo', 'tuoi mui',
  'tuoi than', 'tuoi dau', 'tuoi tuat', 'tuoi hoi', 'ngay tot', 'xem ngay', 'boi bai', 'phong thuy', 'xem tuoi', 'hop tuoi', 'nguoi yeu', 'chia tay', 'tinh yeu', 'crush',
  'uong thuoc gi', 'bi benh gi', 'dau bung', 'dau dau', 'giam can', 'tang can', 'an gi', 'nen mua', 'dau tu gi',
  'nen dau tu', 'kiem tien', 'vay tien', 'cho vay', 'co nen ly', 'co nen lay', 'co nen cuoi', 'ngoai tinh',
  'lam gia', 'gia mao', 'lam ma', 'hu doa', 'con cho', 'con meo', 'thu cung', 'cho cung', 'mat trang', 'sao hoa',

  // homework, entertainment
  'giai bai', 'bai tap', 'do dai hoc', 'thi dai hoc', 'diem chuan', 'on thi', 'giai toan', 'phuong trinh', 'lam van', 'bai van', 'homework', 'dich sang', 'translate',
  'viet code', 'lap trinh', 'python', 'javascript', 'ke chuyen', 'chuyen cuoi', 'hat mot bai', 'bai hat', 'lam tho',
  'joke', 'poem', 'bong da', 'world cup', 'ket qua tran', 'phim', 'game', 'nau an', 'cong thuc nau', 'recipe',
];

/** Things no procedure can be about: never overridden by a confident retrieval hit ("sổ đỏ trên mặt trăng"). */
const ABSURD = [
  'con cho', 'con meo', 'meo nha', 'cho nha tui', 'thu cung', 'cho cung', 'mat trang', 'sao hoa', 'ngoai hanh tinh',
  'phu thuy', 'ma quy', 'nuoi rong', 'con rong', 'nguoi yeu ao', 'khung long', 'ky lan', 'yeu tinh', 'unicorn', 'dragon',
  'dinosaur', 'moon', 'mars', 'lam ma', 'hu doa',
];

export function isOffTopic(folded: string): boolean {
  return has(folded, OUT_OF_SCOPE) || has(folded, ABSURD) || has(folded, FORBIDDEN);
}

/** Forgery, bribery, evasion: never answered, whatever procedure they mention. */
const FORBIDDEN = ['lam gia', 'gia mao', 'lam lau', 'tron thue', 'hoi lo', 'chay an', 'lam gia giay', 'fake'];

export function isAbsurd(folded: string): boolean {
  return has(folded, ABSURD) || has(folded, FORBIDDEN);
}

/**
 * Asking for other people's data or a staff decision the bot cannot give ("danh sách số CCCD người dân",
 * "đóng vai cán bộ xác nhận hồ sơ đã duyệt"): treated like an injection, never answered from retrieval.
 */
const OTHERS_DATA = [
  'danh sach so cccd', 'danh sach cccd', 'danh sach nguoi', 'liet ke het ho so', 'liet ke ho so', 'ho so cua nguoi khac',
  'dia chi nha va so dien thoai', 'so dien thoai cua ong', 'so dien thoai cua ba', 'dia chi nha cua ong',
  'dia chi nha cua ba', 'thong tin ca nhan cua', 'kem ten va sdt', 'kem ten va so dien thoai', 'dong vai can bo',
  'xac nhan giup toi la ho so', 'ghi ro da phe duyet', 'log hoi thoai', 'tin nhan cua nguoi khac',
];

export function asksForOthersData(folded: string): boolean {
  return has(folded, OTHERS_DATA);
}

/** Words that say a message is about paperwork with the state, even when retrieval finds no procedure. */
const PROCEDURE_MARKERS = [
  'thu tuc', 'giay', 'giay phep', 'dang ky', 'xin cap', 'cap lai', 'cap doi', 'ho so', 'chung nhan', 'chung thuc',
  'xac nhan', 'ubnd', 'uy ban', 'xa', 'phuong', 'le phi', 'procedure', 'certificate', 'permit', 'register', 'license',
  'so do', 'so hong', 'ho khau', 'tam tru', 'thuong tru', 'can cuoc', 'cccd', 'khai sinh', 'khai tu', 'ket hon',
  'tro cap', 'ho tro', 'che do', 'mien giam', 'hoc phi', 'bao hiem', 'bhyt', 'bhxh', 'ly hon', 'nghia vu quan su',
  'kinh doanh', 'giay phep', 'lam o dau', 'nop o dau', 'nhap khau', 'sang ten', 'khai thue', 'thue', 'quy hoach',
  'hop dong', 'giay to', 'registration', 'register',
];

export function looksLikeProcedureQuestion(folded: string): boolean {
  return has(folded, PROCEDURE_MARKERS);
}

// ---- follow-ups and choices -----------------------------------------------------------------------------------

/** Words that point back at the procedure already discussed. */
const BACK_REFERENCE = [
  'con', 'the con', 'vay con', 'the thi', 'vay thi', 'thi sao', 'the nao', 'thu tuc nay', 'thu tuc do', 'cai nay',
  'cai do', 'no', 'viec nay', 'truong hop nay', 'what about', 'and the', 'and how', 'it', 'this', 'that one', 'also',
  'them', 'nua', 'con gi', 'ngoai ra',
];
export function refersBack(folded: string): boolean {
  return has(folded, BACK_REFERENCE);
}

/** "1", "2.", "số 2", "chọn 3", "option 2": a numbered choice, 1-based; null otherwise. */
export function numberedChoice(folded: string): number | null {
  const m = /^(?:so |chon |option |lua chon |cau |tra loi )?(\d{1,2})$/.exec(folded);
  return m ? Number(m[1]) : null;
}

export { fold };
