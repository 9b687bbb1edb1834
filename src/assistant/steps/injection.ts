import * as replies from '../answer/replies.ts';
import { detectInjection } from '../guardrails/injection.ts';
import { routeByRules } from '../router/route.ts';
import { analyse } from './analyse.ts';
import { finish, type Step, type TurnContext } from './context.ts';

const blocked = (ctx: TurnContext) => finish(ctx, 'guardrails_injection', 'injection', replies.injectionReply(ctx.language));

/**
 * An injection's instructions and claims are cut out and what is left, if anything, is answered as usual; an
 * attack wrapped around nothing, or around something we would not answer anyway, is refused.
 */
export const injection: Step = {
  name: 'injection',
  async run(ctx) {
    if (ctx.input.choice) return 'next';
    const found = detectInjection(ctx.text);
    if (!found.injection) return 'next';
    const remainder = found.remainder.trim();
    const folded = remainder ? analyse(ctx, remainder) : '';
    if (!folded || folded.split(' ').filter((w) => w.length > 1).length < 2) return blocked(ctx);
    ctx.text = remainder;
    ctx.question = remainder;
    ctx.folded = folded;
    ctx.routing = routeByRules(remainder, folded, { hasCurrentProcedure: !!ctx.state.currentProcedure, pendingChoices: ctx.state.pendingChoices.length, tables: ctx.routerTables });
    if (ctx.routing.label === 'out_of_scope' || ctx.routing.label === 'injection') return blocked(ctx);
    return 'next';
  },
};
