// Phone or desktop: grid workers use the console on phones, where the side
// menu becomes a drawer and dialogs take the whole width.
import { reactive } from '../vendor/vue.js';

const phoneQuery = window.matchMedia('(max-width: 768px)');

export const viewport = reactive({ phone: phoneQuery.matches });

phoneQuery.addEventListener('change', (event) => {
  viewport.phone = event.matches;
});

// Width for el-dialog: fixed on desktop, nearly the whole screen on phones.
export function dialogWidth(desktop = '560px') {
  return viewport.phone ? '94%' : desktop;
}

// Labels above the fields on phones, beside them on desktop.
export function labelPosition() {
  return viewport.phone ? 'top' : 'right';
}
