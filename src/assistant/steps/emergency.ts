import * as replies from '../answer/replies.ts';
import { routeByRules } from '../router/route.ts';
import { analyse } from './analyse.ts';
import { finish, type Step } from './context.ts';

/** The rules read the whole message; an emergency is answered at once, before anything can talk the router out of it. */
export const emergency: Step = {
  name: 'emergency',
  async run(ctx) {
    if (ctx.input.choice) return 'next';
    ctx.folded = analyse(ctx, ctx.text);
    ctx.routing = routeByRules(ctx.text, ctx.folded, { hasCurrentProcedure: !!ctx.state.currentProcedure, pendingChoices: ctx.state.pendingChoices.length, tables: ctx.routerTables });
    const e = ctx.routing.label === 'emergency' ? ctx.routing.emergency : undefined;
    if (!e) return 'next';
    return finish(ctx, 'emergency', 'emergency', replies.emergencyReply(e.kind, e.also, ctx.language));
  },
};
