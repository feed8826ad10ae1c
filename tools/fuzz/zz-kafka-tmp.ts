import { testKafka } from '@attest/messaging';
(async () => {
  const admin = testKafka().admin();
  await admin.connect();
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => /fuzz/.test(g));
  console.log('groups', groups);
  if (process.argv[2] === 'delete' && groups.length) {
    const d = await admin.describeGroups(groups);
    console.log(d.groups.map((g) => `${g.groupId} ${g.state} members=${g.members.length}`));
    await admin.deleteGroups(groups).then(
      () => console.log('deleted'),
      (e) => console.log('delete failed', String(e)),
    );
  }
  console.log(
    'topics',
    (await admin.listTopics()).filter((t) => /fuzz/.test(t)),
  );
  await admin.disconnect();
})();
