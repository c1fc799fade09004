/** Model answers for the fixtures' known errors, in the answer format the agent asks for. */

/** The fix for test/fixtures/ts-error/src/cart.ts. */
export const CART_FIX = ['TITLE: Return the item count as a number', 'WHY: length is already a number; toString() made it a string', '<<<<<<< SEARCH', '  const count: number = cart.items.length.toString();', '=======', '  const count: number = cart.items.length;', '>>>>>>> REPLACE'].join('\n');
