// Chat during the call: text typed at the booth reaches the agent and the reverse, over the
// `chat` data channel that the server carries between the participants (CONTRACT.md, Media).
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {setUpSite} from './admin.js';
import {screen} from './pages.js';
import {availableAgent, chat, enrolledBooth, journeyFixture, mediaFlows, offerShown, onScreen}
    from './steps.js';

const fixture = journeyFixture('chat');

test('chat crosses both ways during the call, in large text at the booth', {timeout: 120000},
     async () => {
  const setup = await setUpSite(fixture.server);
  const booth = await enrolledBooth(fixture, 'booth', setup);
  await booth.page.click('#go-walkin');
  await booth.page.click(`#service-list button[data-service="${setup.service.id}"]`);
  await onScreen(booth.page, 'waiting');
  const agent = await availableAgent(fixture, 'agent', setup.agent);
  await offerShown(agent.page);
  await agent.page.click('#offer-accept');
  await onScreen(booth.page, 'call', 20000);
  await Promise.all([mediaFlows(booth.page, 'vgBooth'), mediaFlows(agent.page, 'vgAgent')]);

  await chat(agent.page, 'agent', booth.page, 'booth', 'Bonjour, je m’appelle Julie.');
  await chat(booth.page, 'booth', agent.page, 'agent', 'Bonjour, merci !');
  const size = await booth.page.$eval('#booth-chat-log li', (item) => parseFloat(getComputedStyle(item).fontSize));
  assert.ok(size >= 24, `the booth's chat text is large (${size}px)`);
  await screen(booth.page, 'booth-call-chat');
  await screen(agent.page, 'agent-call-chat');

  await agent.page.click('#end-submit');
  await onScreen(booth.page, 'end', 15000);
  assert.equal(await booth.page.locator('#booth-chat-log li').count(), 0,
               'the next citizen sees nothing of this chat');
  fixture.assertConsolesClean();
});
