import { botAnswers, canChangeMode, canChangeStep, MODES, nextMode, nextStep } from './conversation-state.js';

describe('conversation state', () => {
  it('lets every mode be re-entered and reach every other but through the table', () => {
    for (const mode of MODES) expect(canChangeMode(mode, mode)).toBe(true);
    expect(nextMode('bot', 'escalated')).toBe('escalated');
    expect(nextMode('escalated', 'human')).toBe('human');
    expect(nextMode('human', 'bot')).toBe('bot');
  });

  it('refuses a jump in the commerce steps with illegal_transition', () => {
    expect(() => nextStep('browsing', 'awaiting_payment')).toThrow(
      expect.objectContaining({ code: 'illegal_transition' }),
    );
    expect(canChangeStep('cart', 'details')).toBe(true);
    expect(nextStep('details', 'browsing')).toBe('browsing');
  });

  it('keeps the bot quiet while staff own the conversation', () => {
    expect(botAnswers('bot')).toBe(true);
    expect(botAnswers('resolved')).toBe(true);
    expect(botAnswers('escalated')).toBe(false);
    expect(botAnswers('human')).toBe(false);
  });
});
