/** What the console shows a person about signing in, in Vietnamese. */
export const AUTH_MESSAGES = {
  signIn: 'Vui lòng đăng nhập.',
  wrongCredentials: 'Tên đăng nhập hoặc mật khẩu không đúng.',
  badLoginBody: 'Vui lòng nhập tên đăng nhập và mật khẩu.',
  tooManyLogins: (seconds: number) => `Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${seconds} giây.`,
} as const;
